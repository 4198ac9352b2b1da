import { completeParams, findFunction, type ParamValues } from "../catalog/functions.js";

/** The tabs of the page. */
export const TABS = ["plot", "bench", "example"] as const;
export type Tab = (typeof TABS)[number];

/** One function on the plot with its parameters (every parameter present). */
export interface PlottedFunction {
  readonly name: string;
  readonly params: ParamValues;
}

/** Benchmark sizes are powers of two: 2^fromLog2 … 2^toLog2 elements. */
export const BENCH_LOG2_MIN = 16;
export const BENCH_LOG2_MAX = 24;

/** Everything a shared URL restores (see state/url.ts for the format). */
export interface PlaygroundState {
  readonly tab: Tab;
  /** The backend that computes the plot ("cpu" or "webgpu"). */
  readonly device: string;
  /** Functions overlaid on the plot, in legend order; each at most once. */
  readonly functions: readonly PlottedFunction[];
  /** The function whose parameters the side panel edits (one of `functions`, if any). */
  readonly editing: string | undefined;
  /** The plotted x range. */
  readonly xMin: number;
  readonly xMax: number;
  readonly bench: {
    readonly fn: string;
    readonly fromLog2: number;
    readonly toLog2: number;
  };
}

export function plotted(name: string, params: ParamValues = {}): PlottedFunction | undefined {
  const info = findFunction(name);
  return info ? { name, params: completeParams(info, params) } : undefined;
}

/** The view a first visit shows: a few functions, elu's alpha ready to drag. */
export function defaultState(device: string): PlaygroundState {
  return {
    tab: "plot",
    device,
    functions: ["relu", "elu", "gelu"].flatMap((n) => plotted(n) ?? []),
    editing: "elu",
    xMin: -6,
    xMax: 6,
    bench: { fn: "gelu", fromLog2: BENCH_LOG2_MIN, toLog2: BENCH_LOG2_MAX },
  };
}

/**
 * Repairs a state that came from outside (a URL): an unusable device falls back to `fallback`,
 * a range that is empty or reversed to the default, sizes into 2^16…2^24, `editing` to a plotted
 * function.
 */
export function normalizeState(
  s: PlaygroundState,
  usableDevices: readonly string[],
  fallback: string,
): PlaygroundState {
  const defaults = defaultState(fallback);
  const finite = Number.isFinite(s.xMin) && Number.isFinite(s.xMax) && s.xMin < s.xMax;
  const clampLog2 = (v: number, d: number) =>
    Number.isInteger(v) ? Math.min(BENCH_LOG2_MAX, Math.max(BENCH_LOG2_MIN, v)) : d;
  const fromLog2 = clampLog2(s.bench.fromLog2, BENCH_LOG2_MIN);
  const toLog2 = Math.max(fromLog2, clampLog2(s.bench.toLog2, BENCH_LOG2_MAX));
  const seen = new Set<string>();
  const functions = s.functions.filter((f) => {
    if (seen.has(f.name) || !findFunction(f.name)) return false;
    seen.add(f.name);
    return true;
  });
  return {
    tab: s.tab,
    device: usableDevices.includes(s.device) ? s.device : fallback,
    functions,
    editing: functions.some((f) => f.name === s.editing) ? s.editing : functions[0]?.name,
    xMin: finite ? s.xMin : defaults.xMin,
    xMax: finite ? s.xMax : defaults.xMax,
    bench: {
      fn: findFunction(s.bench.fn) ? s.bench.fn : defaults.bench.fn,
      fromLog2,
      toLog2,
    },
  };
}
