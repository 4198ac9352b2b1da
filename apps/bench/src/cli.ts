import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BenchOptions, runBench } from "./bench.js";
import { REGIMES, type Regime } from "./contestant.js";
import type { MeasureOptions } from "./measure.js";
import { readmeBlock, toJson, toMarkdown } from "./report.js";

const APP = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const FULL_SIZES = [10, 16, 20, 24] as const;
export const QUICK_SIZES = [10, 16] as const;

/**
 * Full runs: enough samples for a stable median, and about 13 minutes in all on 2 cores (2^24
 * dominates: slow contestants get 3 samples there).
 */
export const FULL_MEASURE: MeasureOptions = {
  warmup: 1,
  warmupMs: 50,
  warmupMaxMs: 1000,
  runs: 7,
  minRuns: 3,
  budgetMs: 1000,
  minSampleMs: 5,
  maxBatch: 2000,
};

/** --quick: a smoke run for CI; its numbers are not for conclusions. */
export const QUICK_MEASURE: MeasureOptions = {
  warmup: 1,
  warmupMs: 5,
  warmupMaxMs: 100,
  runs: 3,
  minRuns: 2,
  budgetMs: 300,
  minSampleMs: 1,
  maxBatch: 50,
};

const USAGE = `pnpm bench [options]
  --quick              CI smoke run: sizes 2^10 and 2^16, few samples (writes results/quick.*)
  --sizes LIST         sizes as powers of two or element counts, e.g. 10,16 or 1024,65536
  --functions LIST     nnkit or MLX names, e.g. relu,gelu,log_softmax (default: all 27)
  --regimes LIST       kept,readBack (default: both)
  --peers LIST         tfjs-cpu,tfjs-wasm,jax-cpu,jax-wasm,ort-node,ort-node-kernel,ort-web
  --runs N             timed samples per contestant (default 7; 3 with --quick)
  --warmup N           untimed calls first, at least (default 1, and 50 ms for short calls)
  --check-max N        compare values with nnkit's up to size 2^N (default 16)
  --no-size-limits     run jax-js cpu above 2^20 too (seconds per call)
  --out STEM           write STEM.md and STEM.json (default results/latest, results/quick
                       for --quick, results/custom when a subset is chosen)
  --help`;

function list(v: string | undefined): string[] | undefined {
  return v
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseSizes(v: string): number[] {
  return v.split(",").map((s) => {
    const t = s.trim().replace(/^2\^/, "");
    const x = Number(t);
    if (!Number.isInteger(x) || x <= 0) throw new Error(`--sizes: ${s} is not a size`);
    if (x <= 40) return x;
    const l = Math.log2(x);
    if (!Number.isInteger(l)) throw new Error(`--sizes: ${s} is not a power of two`);
    return l;
  });
}

function parseRegimes(v: string): Regime[] {
  return v.split(",").map((s) => {
    const t = s.trim().replace(/[-_ ]/g, "").toLowerCase();
    const r = REGIMES.find((x) => x.toLowerCase() === t);
    if (!r) throw new Error(`--regimes: ${s} is not one of ${REGIMES.join(", ")}`);
    return r;
  });
}

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0) throw new Error(`--${name}: ${v} is not a whole number`);
  return x;
}

export interface CliPlan {
  readonly options: BenchOptions;
  /** Output path without extension. */
  readonly outStem: string;
  /** Whether this run replaces the README's table (a complete run to results/latest). */
  readonly updateReadme: boolean;
}

export function planFromArgs(argv: readonly string[], log?: (line: string) => void): CliPlan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      sizes: { type: "string" },
      functions: { type: "string" },
      regimes: { type: "string" },
      peers: { type: "string" },
      runs: { type: "string" },
      warmup: { type: "string" },
      "check-max": { type: "string" },
      "no-size-limits": { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const base = quick ? QUICK_MEASURE : FULL_MEASURE;
  const measure: MeasureOptions = {
    ...base,
    runs: positive("runs", values.runs, base.runs),
    warmup: positive("warmup", values.warmup, base.warmup),
  };
  const subset =
    values.sizes !== undefined ||
    values.functions !== undefined ||
    values.regimes !== undefined ||
    values.peers !== undefined ||
    values.runs !== undefined ||
    values.warmup !== undefined;
  const defaultStem = quick ? "quick" : subset ? "custom" : "latest";
  const outStem = resolve(values.out ?? join(APP, "results", defaultStem));
  const argsText = argv.join(" ");
  return {
    options: {
      sizesLog2: values.sizes ? parseSizes(values.sizes) : [...(quick ? QUICK_SIZES : FULL_SIZES)],
      ...(values.functions ? { functions: list(values.functions) as string[] } : {}),
      regimes: values.regimes ? parseRegimes(values.regimes) : [...REGIMES],
      ...(values.peers ? { peers: list(values.peers) as string[] } : {}),
      measure: { ...measure, minRuns: Math.min(measure.minRuns, measure.runs) },
      checkMaxLog2: positive("check-max", values["check-max"], 16),
      noSizeLimits: values["no-size-limits"],
      quick,
      command: `pnpm bench${argsText ? ` ${argsText}` : ""}`,
      ...(log ? { log } : {}),
    },
    outStem,
    updateReadme: !quick && !subset && values.out === undefined,
  };
}

const BEGIN = "<!-- bench:begin (written by pnpm bench) -->";
const END = "<!-- bench:end -->";

/** Replaces the README's results block with the latest run's. */
function updateReadme(block: string): void {
  const path = join(APP, "README.md");
  const text = readFileSync(path, "utf8");
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${BEGIN} … ${END} block`);
  writeFileSync(path, `${text.slice(0, a + BEGIN.length)}\n${block}\n${text.slice(b)}`);
  // The repository's formatter (biome) also formats Markdown; keep the README as it wants it.
  try {
    execFileSync("pnpm", ["exec", "biome", "format", "--write", path], {
      cwd: APP,
      stdio: "ignore",
    });
  } catch {
    console.warn("README.md updated but not formatted: run pnpm exec biome format --write on it");
  }
}

async function main(): Promise<void> {
  // pnpm passes a "--" separator through when arguments follow `pnpm bench --`.
  const argv = process.argv.slice(2).filter((a) => a !== "--");
  const plan = planFromArgs(argv, (line) => console.log(line));
  const report = await runBench(plan.options);
  mkdirSync(dirname(plan.outStem), { recursive: true });
  writeFileSync(`${plan.outStem}.md`, toMarkdown(report));
  writeFileSync(`${plan.outStem}.json`, toJson(report));
  if (plan.updateReadme) updateReadme(readmeBlock(report));
  console.log(
    `\nwrote ${plan.outStem}.md and .json${plan.updateReadme ? " and the README's table" : ""} (${report.totalSeconds.toFixed(0)} s)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    // Some peers keep worker threads or handles open; the report is written, so leave.
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
