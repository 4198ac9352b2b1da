/**
 * The code in the guides must stay true. Every ```ts block of docs/*.md, of the root README and
 * of each package's README is written to a file under test/.tmp-docs/, typechecked with tsc and
 * run with tsx in its own Node process, where the workspace packages resolve through symlinks.
 * A block passes when it typechecks, exits with status 0 and prints what the guide says it
 * prints:
 *   - a ```text block right after the ```ts block is the whole expected stdout;
 *   - a `// → output` comment (continued on following `//` lines aligned under the output)
 *     must appear in stdout, in order, as whole lines.
 * A block without imports gets the guides' standard three imports prepended. ```ts no-run
 * blocks are skipped. Set NNKIT_KEEP_DOCS_TMP=1 to keep test/.tmp-docs/ after the run.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as nn from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..");
const root = join(pkgDir, "..", "..");
const tmp = join(here, ".tmp-docs");

const PRELUDE = [
  'import * as mx from "@nnkit/core";',
  'import "@nnkit/kernels-cpu";',
  'import * as nn from "@nnkit/nn-functions";',
];

// ---- finding the blocks ----------------------------------------------------------------------

interface Block {
  /** e.g. "docs/COMMON_PITFALLS.md:120" (the line of the opening fence). */
  readonly id: string;
  readonly doc: string;
  readonly line: number;
  readonly code: string;
  /** The ```text block that follows, if any. */
  readonly output: string | undefined;
  readonly run: boolean;
}

interface Fence {
  readonly info: string;
  readonly line: number;
  readonly body: string;
  /** Lines between the previous fence's end and this fence's start, all blank. */
  readonly adjacent: boolean;
}

function fences(text: string): Fence[] {
  const lines = text.split("\n");
  const out: Fence[] = [];
  let lastEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = (open[1] as string).length;
    const ticks = open[2] as string;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${ticks}\\s*$`).test(lines[j] as string)) {
      body.push(
        (lines[j] as string).slice(
          Math.min(indent, /^\s*/.exec(lines[j] as string)?.[0].length ?? 0),
        ),
      );
      j++;
    }
    const between = lines.slice(lastEnd + 1, i);
    out.push({
      info: (open[3] as string).trim(),
      line: i + 1,
      body: body.join("\n"),
      adjacent: lastEnd >= 0 && between.every((l) => l.trim() === ""),
    });
    lastEnd = j;
    i = j;
  }
  return out;
}

function blocksOf(doc: string): Block[] {
  const text = readFileSync(join(root, doc), "utf8");
  const fs = fences(text);
  const out: Block[] = [];
  fs.forEach((f, k) => {
    const [lang, ...flags] = f.info.split(/\s+/);
    if (lang !== "ts" && lang !== "typescript") return;
    const next = fs[k + 1];
    const output = next?.adjacent && next.info.split(/\s+/)[0] === "text" ? next.body : undefined;
    out.push({
      id: `${doc}:${f.line}`,
      doc,
      line: f.line,
      code: f.body,
      output,
      run: !flags.includes("no-run"),
    });
  });
  return out;
}

function docFiles(): string[] {
  const files = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  files.push("README.md");
  for (const p of readdirSync(join(root, "packages")).sort()) {
    if (existsSync(join(root, "packages", p, "README.md"))) files.push(`packages/${p}/README.md`);
  }
  return files;
}

const BLOCKS = docFiles().flatMap(blocksOf);
const RUNNABLE = BLOCKS.filter((b) => b.run);

// ---- expected output ---------------------------------------------------------------------------

/**
 * The `// →` expectations of a block, in order. A chunk starts at `// → text`; each following
 * line that is `//` plus spaces up to the column where `text` began continues it.
 */
function arrowExpectations(code: string): string[][] {
  const lines = code.split("\n");
  const chunks: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const at = line.indexOf("// → ");
    if (at < 0) continue;
    const column = at + "// → ".length;
    const chunk = [line.slice(column)];
    const lead = `${" ".repeat(at)}//${" ".repeat(column - at - 2)}`;
    while (i + 1 < lines.length) {
      const next = lines[i + 1] as string;
      if (!next.startsWith(lead) || next.length <= lead.length || next.includes("// → ")) break;
      chunk.push(next.slice(column));
      i++;
    }
    chunks.push(chunk.map((l) => l.trimEnd()));
  }
  return chunks;
}

function outputLines(text: string): string[] {
  const lines = text.split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The first chunk (index) not found, in order, as consecutive whole lines of stdout; -1 if all are. */
function firstMissing(stdout: string[], chunks: string[][]): number {
  let from = 0;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as string[];
    let found = -1;
    for (let s = from; s + chunk.length <= stdout.length && found < 0; s++) {
      if (chunk.every((l, k) => stdout[s + k] === l)) found = s;
    }
    if (found < 0) return c;
    from = found + chunk.length;
  }
  return -1;
}

// ---- running -------------------------------------------------------------------------------

interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function fileOf(b: Block): string {
  return `${b.doc.replace(/[^A-Za-z0-9]+/g, "_")}_L${b.line}.mts`;
}

function sourceOf(b: Block): { text: string; offset: number } {
  const hasImports = /^\s*import\s/m.test(b.code);
  const prelude = hasImports ? [] : PRELUDE;
  return { text: `${[...prelude, b.code].join("\n")}\n`, offset: prelude.length };
}

/** tsx's ESM loader, from a workspace package that depends on tsx. */
function tsxLoader(): string {
  for (const dir of [pkgDir, join(root, "examples")]) {
    try {
      return pathToFileURL(createRequire(join(dir, "package.json")).resolve("tsx/esm")).href;
    } catch {
      // not a dependency of this package; try the next
    }
  }
  throw new Error("docs.test: cannot resolve tsx (add it to nn-functions' devDependencies)");
}

function exec(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: tmp,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", NODE_OPTIONS: "" },
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", (e) => resolve({ status: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs at most `n` tasks at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return (task) =>
    new Promise((resolve, reject) => {
      const start = () => {
        active++;
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            queue.shift()?.();
          });
      };
      if (active < n) start();
      else queue.push(start);
    });
}

function prepareTmp(): void {
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "node_modules", "@nnkit"), { recursive: true });
  writeFileSync(join(tmp, ".gitignore"), "*\n");
  // Every workspace package resolves from here, whatever nn-functions' own dependencies are.
  for (const p of readdirSync(join(root, "packages"))) {
    const manifest = join(root, "packages", p, "package.json");
    if (!existsSync(manifest)) continue;
    const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name;
    if (!name.startsWith("@nnkit/")) continue;
    symlinkSync(join(root, "packages", p), join(tmp, "node_modules", name), "dir");
  }
  writeFileSync(
    join(tmp, "tsconfig.json"),
    JSON.stringify({
      extends: relative(tmp, join(root, "tsconfig.base.json")),
      compilerOptions: { types: ["node"], noEmit: true, declaration: false, sourceMap: false },
      include: ["*.mts"],
    }),
  );
  for (const b of RUNNABLE) writeFileSync(join(tmp, fileOf(b)), sourceOf(b).text);
}

const runs = new Map<string, Promise<RunResult>>();
let typecheck: Promise<Map<string, string[]>>;

/** tsc's errors per temp file, with line numbers translated to the guide's. */
async function typecheckAll(): Promise<Map<string, string[]>> {
  const tsc = createRequire(join(pkgDir, "package.json")).resolve("typescript/bin/tsc");
  const r = await exec(
    process.execPath,
    [tsc, "-p", "tsconfig.json", "--pretty", "false"],
    120_000,
  );
  const byFile = new Map<string, string[]>();
  const blockOfFile = new Map(RUNNABLE.map((b) => [fileOf(b), b]));
  for (const line of r.stdout.split("\n")) {
    const m = /^(.+?\.mts)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (!m) continue;
    const file = m[1] as string;
    const b = blockOfFile.get(file);
    const docLine = b ? b.line + Number(m[2]) - sourceOf(b).offset : Number(m[2]);
    const list = byFile.get(file) ?? [];
    list.push(`${b?.doc ?? file}:${docLine}: ${m[4]}`);
    byFile.set(file, list);
  }
  if (r.status !== 0 && byFile.size === 0) {
    byFile.set("*", [`tsc failed: ${r.stdout}${r.stderr}`]);
  }
  return byFile;
}

beforeAll(() => {
  prepareTmp();
  typecheck = typecheckAll();
  const loader = tsxLoader();
  const limit = limiter(Math.max(2, Math.min(6, cpus().length)));
  for (const b of RUNNABLE) {
    runs.set(
      b.id,
      limit(() => exec(process.execPath, ["--import", loader, fileOf(b)], 60_000)),
    );
  }
});

afterAll(async () => {
  await Promise.allSettled([...runs.values(), typecheck]);
  // Removed even after failures (the messages quote the output and the guide's line), so no
  // stray sources are left for biome or editors to find.
  if (!process.env.NNKIT_KEEP_DOCS_TMP) rmSync(tmp, { recursive: true, force: true });
});

describe("code in the guides and READMEs", () => {
  it("finds the guides' code blocks", () => {
    const docs = new Set(RUNNABLE.map((b) => b.doc));
    for (const d of [
      "docs/README.md",
      "docs/PYTORCH_DIFFERENCES.md",
      "docs/NUMPY_USERS.md",
      "docs/COMMON_PITFALLS.md",
      "packages/nn-functions/README.md",
    ]) {
      expect(docs, d).toContain(d);
    }
  });

  // The blocks run a few at a time from beforeAll; the last waits for the others.
  const timeout = 60_000 + RUNNABLE.length * 10_000;
  it.each(RUNNABLE.map((b) => [b.id, b] as const))("%s", { timeout }, async (_id, b) => {
    const r = await (runs.get(b.id) as Promise<RunResult>);
    const context = `\n--- ${b.id} (${fileOf(b)}) ---\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
    expect(r.status, `the block exited with status ${r.status}${context}`).toBe(0);
    const stdout = outputLines(r.stdout);
    if (b.output !== undefined) {
      expect(stdout.join("\n"), `printed output differs from the text block${context}`).toBe(
        outputLines(b.output).join("\n"),
      );
    }
    const chunks = arrowExpectations(b.code);
    const missing = firstMissing(stdout, chunks);
    expect(
      missing < 0 ? "" : (chunks[missing] as string[]).join("\n"),
      `this // → output was not printed (in order)${context}`,
    ).toBe("");
    const errors = (await typecheck).get(fileOf(b)) ?? (await typecheck).get("*") ?? [];
    expect(errors.join("\n"), "type errors").toBe("");
  });
});

// ---- the measured numbers COMMON_PITFALLS.md quotes ----------------------------------------

/** The largest |f − g| over a float32 grid, and where it occurs. */
async function maxAbsDiff(
  f: (x: mx.Array) => mx.Array,
  g: (x: mx.Array) => mx.Array,
  x: mx.Array,
): Promise<{ max: number; at: number }> {
  const [a, b, xs] = await Promise.all([f(x).toFloat32(), g(x).toFloat32(), x.toFloat32()]);
  let max = 0;
  let at = Number.NaN;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (d > max) {
      max = d;
      at = xs[i] as number;
    }
  }
  return { max, at };
}

/** `value` rounded as `written` is written: "4.73e-4" (3 digits, exponent) or "0.0203". */
function roundedLike(value: number, written: string): string {
  const mantissa = written.replace(/e.*$/i, "");
  const digits = mantissa.replace(".", "").replace(/^0+/, "").length;
  return /e/i.test(written) ? value.toExponential(digits - 1) : value.toPrecision(digits);
}

describe("COMMON_PITFALLS.md: the measured error of the approximate gelus", () => {
  const doc = readFileSync(join(root, "docs", "COMMON_PITFALLS.md"), "utf8");
  /** A grid of step 1e-5 on [-6, 6], in float32 as users would evaluate it. */
  const grid = mx.linspace(-6, 6, 1_200_001);

  it.each([
    ["geluApprox", nn.geluApprox],
    ["geluFastApprox", nn.geluFastApprox],
  ] as const)("max |gelu − %s| on [-6, 6] is the number the guide states", async (name, g) => {
    const m = new RegExp(
      `max \\|gelu − ${name}\\| on \\[−6, 6\\] = \\*\\*([0-9.e-]+)\\*\\*, at x ≈ ±?(−?[0-9.]+)`,
    ).exec(doc);
    expect(
      m,
      `COMMON_PITFALLS.md must state "max |gelu − ${name}| on [−6, 6] = **N**, at x ≈ X"`,
    ).not.toBeNull();
    const [written, writtenAt] = [m?.[1] as string, m?.[2] as string];
    const { max, at } = await maxAbsDiff(nn.gelu, g, grid);
    expect(roundedLike(max, written)).toBe(written);
    expect(Math.abs(at).toFixed(writtenAt.split(".")[1]?.length ?? 0)).toBe(writtenAt);
  });
});
