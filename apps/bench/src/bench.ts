import { type Agreement, compare, TOLERANCE } from "./agreement.js";
import { type BenchCase, INPUT_RANGE, inputShape, makeInput, ROW, selectCases } from "./cases.js";
import {
  type Contestant,
  isUnsupported,
  type LoadedInput,
  REGIMES,
  type Regime,
  type Workload,
} from "./contestant.js";
import { copyBaseline, freshCopyBaseline } from "./copy.js";
import { type MachineInfo, machineInfo } from "./machine.js";
import { type MeasureOptions, measureInterleaved, type Slot } from "./measure.js";
import { nnkitCpu, nnkitLiveBuffers } from "./nnkit.js";
import { liftSizeLimits, PEERS, tfjsLiveTensors } from "./peers/index.js";

export interface BenchOptions {
  /** Sizes as powers of two. */
  readonly sizesLog2: readonly number[];
  /** nnkit or MLX names; all 27 when empty. */
  readonly functions?: readonly string[];
  readonly regimes: readonly Regime[];
  /** Peer ids to run (nnkit and the copy always run); all peers when empty. */
  readonly peers?: readonly string[];
  readonly measure: MeasureOptions;
  /** Values are compared with nnkit's at sizes up to 2^checkMaxLog2. */
  readonly checkMaxLog2: number;
  readonly noSizeLimits?: boolean;
  readonly quick: boolean;
  /** The command line, for the report. */
  readonly command: string;
  readonly log?: (line: string) => void;
}

export interface ContestantInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: Contestant["kind"];
  readonly packages: string;
  readonly regimes: readonly Regime[];
  readonly settings: Readonly<Record<string, string>>;
  /** Set when the contestant could not start; all its cells are then "unsupported". */
  readonly unavailable?: string;
}

export interface Measured {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
  readonly batch: number;
  readonly clock: "wall" | "runtime";
}

/** A contestant's cell: times, or why there are none ("unsupported" or a failure). */
export type Cell = Measured | { readonly unsupported: string } | { readonly failed: string };

export function isMeasured(c: Cell | undefined): c is Measured {
  return c !== undefined && "medianMs" in c;
}

export interface CaseResult {
  readonly fn: string;
  readonly mlxName: string;
  readonly log2n: number;
  readonly n: number;
  readonly shape: readonly number[];
  readonly regime: Regime;
  readonly cells: Readonly<Record<string, Cell>>;
  /** Peer median / nnkit median, for every measured peer. */
  readonly ratios: Readonly<Record<string, number>>;
  /** nnkit median / copy median. */
  readonly nnkitOverCopy: number | null;
  /** Per peer, where values were compared (the first regime of each function and size). */
  readonly agreement?: Readonly<Record<string, Agreement>>;
  /** Per contestant, footnotes about how it ran this function. */
  readonly notes: Readonly<Record<string, readonly string[]>>;
}

export interface BenchReport {
  readonly schema: "nnkit-bench/1";
  readonly createdAt: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly settings: {
    readonly quick: boolean;
    readonly sizesLog2: readonly number[];
    readonly regimes: readonly Regime[];
    readonly functions: readonly string[];
    readonly dtype: "float32";
    readonly inputRange: readonly [number, number];
    readonly row: number;
    readonly measure: MeasureOptions;
    readonly checkMaxLog2: number;
    readonly tolerance: typeof TOLERANCE;
    readonly gcBetweenCases: boolean;
  };
  readonly contestants: readonly ContestantInfo[];
  readonly cases: readonly CaseResult[];
  readonly liveBuffers: { readonly start: number; readonly end: number };
  readonly totalSeconds: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Collects garbage between cases when node runs with --expose-gc, so no case pays for another. */
function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return gc !== undefined;
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toPrecision(2);
}

/** Runs the benchmark and returns its report; throws if nnkit leaks a buffer. */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const cases = selectCases(o.functions);
  if (o.noSizeLimits) liftSizeLimits();
  const unknownPeers = (o.peers ?? []).filter((id) => !PEERS.some((p) => p.id === id));
  if (unknownPeers.length > 0) {
    throw new Error(
      `unknown peer(s) ${unknownPeers.join(", ")}; known: ${PEERS.map((p) => p.id).join(", ")}`,
    );
  }
  const peers = o.peers?.length ? PEERS.filter((p) => o.peers?.includes(p.id)) : PEERS;
  const all: Contestant[] = [nnkitCpu, copyBaseline, freshCopyBaseline, ...peers];

  const startBuffers = nnkitLiveBuffers();
  const infos: ContestantInfo[] = [];
  const ready: Contestant[] = [];
  for (const c of all) {
    const base = {
      id: c.id,
      label: c.label,
      kind: c.kind,
      packages: c.packages,
      regimes: c.regimes ?? REGIMES,
    };
    try {
      infos.push({ ...base, settings: await c.init() });
      ready.push(c);
    } catch (e) {
      if (c.kind !== "peer") throw e;
      infos.push({ ...base, settings: {}, unavailable: `could not start: ${message(e)}` });
      log(`${c.label}: could not start: ${message(e)}`);
    }
  }

  const startTensors = tfjsLiveTensors();
  const results: CaseResult[] = [];
  let gcOn = false;
  for (const log2n of o.sizesLog2) {
    const n = 2 ** log2n;
    const data = makeInput(n);
    const loaded = new Map<string, LoadedInput>();
    for (const c of ready) loaded.set(c.id, await c.load(data));
    const sizeBuffers = nnkitLiveBuffers();

    for (const bc of cases) {
      let checked = false;
      for (const regime of o.regimes) {
        gcOn = collectGarbage();
        const result = await runCase(bc, n, log2n, regime, infos, loaded, o, !checked);
        checked ||= result.agreement !== undefined;
        results.push(result);
        log(progressLine(result, infos));
        const live = nnkitLiveBuffers();
        if (live !== sizeBuffers) {
          throw new Error(
            `nnkit leaked: ${live - sizeBuffers} buffer(s) still live after ${bc.name} at 2^${log2n} (${regime})`,
          );
        }
      }
    }
    for (const l of loaded.values()) await l.dispose();
  }
  for (const c of ready) await c.close();

  const endBuffers = nnkitLiveBuffers();
  if (endBuffers !== startBuffers) {
    throw new Error(
      `nnkit leaked: liveBuffers ${startBuffers} at the start, ${endBuffers} at the end`,
    );
  }
  const endTensors = tfjsLiveTensors();
  if (endTensors !== startTensors) {
    throw new Error(
      `the bench leaked TF.js tensors: ${startTensors} at the start, ${endTensors} at the end`,
    );
  }

  return {
    schema: "nnkit-bench/1",
    createdAt: new Date().toISOString(),
    command: o.command,
    machine: machineInfo(),
    settings: {
      quick: o.quick,
      sizesLog2: o.sizesLog2,
      regimes: o.regimes,
      functions: cases.map((c) => c.name),
      dtype: "float32",
      inputRange: [INPUT_RANGE[0], INPUT_RANGE[1]],
      row: ROW,
      measure: o.measure,
      checkMaxLog2: o.checkMaxLog2,
      tolerance: TOLERANCE,
      gcBetweenCases: gcOn,
    },
    contestants: infos,
    cases: results,
    liveBuffers: { start: startBuffers, end: endBuffers },
    totalSeconds: (performance.now() - started) / 1000,
  };
}

async function runCase(
  bc: BenchCase,
  n: number,
  log2n: number,
  regime: Regime,
  infos: readonly ContestantInfo[],
  loaded: ReadonlyMap<string, LoadedInput>,
  o: BenchOptions,
  mayCheck: boolean,
): Promise<CaseResult> {
  const cells: Record<string, Cell> = {};
  const notes: Record<string, readonly string[]> = {};
  const workloads = new Map<string, Workload>();
  try {
    for (const info of infos) {
      if (!info.regimes.includes(regime)) continue;
      const l = loaded.get(info.id);
      if (!l) {
        cells[info.id] = { unsupported: info.unavailable ?? "not started" };
        continue;
      }
      try {
        const w = await l.setup(bc, regime);
        if (isUnsupported(w)) cells[info.id] = { unsupported: w.unsupported };
        else workloads.set(info.id, w);
      } catch (e) {
        if (info.kind !== "peer") throw e;
        cells[info.id] = { failed: `setup failed: ${message(e)}` };
      }
    }

    const slots: Slot[] = [...workloads].map(([id, workload]) => ({ id, workload }));
    const timings = await measureInterleaved(slots, o.measure);
    for (const [id, t] of timings) {
      if ("failed" in t) {
        const kind = infos.find((i) => i.id === id)?.kind;
        if (kind !== "peer") throw new Error(`${id} failed on ${bc.name}: ${t.failed}`);
        cells[id] = { failed: t.failed };
        await workloads.get(id)?.dispose();
        workloads.delete(id);
        continue;
      }
      cells[id] = {
        medianMs: t.medianMs,
        minMs: t.minMs,
        maxMs: t.maxMs,
        runs: t.samplesMs.length,
        batch: t.batch,
        clock: t.clock,
      };
    }
    for (const [id, w] of workloads) {
      const list = w.notes?.() ?? [];
      if (list.length > 0) notes[id] = list;
    }

    let agreement: Record<string, Agreement> | undefined;
    const ref = workloads.get("nnkit");
    if (mayCheck && ref && log2n <= o.checkMaxLog2) {
      agreement = {};
      const want = await ref.output();
      for (const info of infos) {
        const w = workloads.get(info.id);
        if (!w || info.kind !== "peer") continue;
        agreement[info.id] = compare(want, await w.output());
      }
    }

    const nnkit = cells.nnkit;
    const ratios: Record<string, number> = {};
    if (isMeasured(nnkit)) {
      for (const info of infos) {
        const cell = cells[info.id];
        if (info.kind === "peer" && isMeasured(cell)) {
          ratios[info.id] = cell.medianMs / nnkit.medianMs;
        }
      }
    }
    const copy = cells.copy;
    return {
      fn: bc.name,
      mlxName: bc.mlxName,
      log2n,
      n,
      shape: inputShape(bc, n),
      regime,
      cells,
      ratios,
      nnkitOverCopy: isMeasured(nnkit) && isMeasured(copy) ? nnkit.medianMs / copy.medianMs : null,
      ...(agreement ? { agreement } : {}),
      notes,
    };
  } finally {
    for (const w of workloads.values()) await w.dispose();
  }
}

function progressLine(r: CaseResult, infos: readonly ContestantInfo[]): string {
  const nn = r.cells.nnkit;
  const parts = [`${r.fn} 2^${r.log2n} ${r.regime}:`];
  parts.push(isMeasured(nn) ? `nnkit ${fmtMs(nn.medianMs)} ms` : "nnkit –");
  if (r.nnkitOverCopy !== null) parts.push(`(${r.nnkitOverCopy.toFixed(1)}× copy)`);
  for (const info of infos) {
    const ratio = r.ratios[info.id];
    if (ratio !== undefined) parts.push(`${info.id} ${ratio.toPrecision(2)}×`);
    const a = r.agreement?.[info.id];
    if (a && !a.agrees) parts.push(`[${info.id} DISAGREES: rel ${a.maxRelErr.toExponential(1)}]`);
  }
  return parts.join(" ");
}
