import { findFunction } from "../catalog/functions.js";
import type { PlottedFunction } from "../state/state.js";
import { withDevice } from "./device-lock.js";
import { makeGrid, plotInput } from "./plot-input.js";
import { withScope } from "./scope.js";
import { trackedParams } from "./tracked-params.js";

/** One function's plotted values on one device. */
export interface SeriesValues {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly device: string;
  /** The result's dtype and shape (row 0 of a 2-D result is plotted). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** y[i] belongs to x[i]; shorter than the grid where the function halves its input (glu). */
  readonly y: readonly number[];
  /** The library's error, when the parameters are invalid (e.g. hardTanh's minVal > maxVal). */
  readonly error?: string;
}

/** The results of one computation: the grid and each function's values. */
export interface PlotResult {
  readonly device: string;
  readonly x: readonly number[];
  readonly series: readonly SeriesValues[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Row 0 of a result: the whole of a 1-D one, the first `shape[1]` values of a 2-D one. */
function firstRow(values: ArrayLike<number>, shape: readonly number[]): number[] {
  const n = shape.length === 2 ? (shape[1] as number) : values.length;
  return Array.from({ length: n }, (_, i) => values[i] as number);
}

/**
 * Computes every function on `device` over the grid, reading results asynchronously (WebGPU
 * cannot read synchronously). Every array made here is disposed once read.
 */
export function computePlot(
  device: string,
  functions: readonly PlottedFunction[],
  xMin: number,
  xMax: number,
): Promise<PlotResult> {
  return withDevice(device, () =>
    withScope(async (scope) => {
      const x = makeGrid(scope, xMin, xMax);
      const xs = Array.from(await x.data());
      const series: SeriesValues[] = [];
      for (const f of functions) {
        const info = findFunction(f.name);
        if (!info) continue;
        const base = { name: f.name, params: f.params, device };
        try {
          const args = trackedParams(scope, info, f.params);
          const y = scope.track(info.apply(plotInput(scope, info, x), args));
          const values = await y.data();
          series.push({ ...base, dtype: y.dtype, shape: y.shape, y: firstRow(values, y.shape) });
        } catch (e) {
          series.push({ ...base, dtype: "", shape: [], y: [], error: message(e) });
        }
      }
      return { device, x: xs, series };
    }),
  );
}
