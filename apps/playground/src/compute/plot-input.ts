import * as mx from "@nnkit/core";
import type { ActivationInfo } from "@nnkit/nn-functions";
import { worksAlongAxis } from "../catalog/functions.js";
import type { ArrayScope } from "./scope.js";

/**
 * What the plot feeds each function. Elementwise functions get the x grid itself. Functions
 * that work along an axis (softmax, softmin, logSoftmax, glu) get a 2-D array
 *
 *   X = [x; 0]   (shape 2 × N: row 0 is the x grid, row 1 is zeros)
 *
 * and the plot shows row 0 of the result against x. Along axis -1 (or 1) the whole grid is one
 * row, so every plotted value depends on all N points (a softmax curve sums to 1); along axis 0
 * (or -2) each column (xᵢ, 0) is on its own, so softmax gives exp(xᵢ) / (exp(xᵢ) + 1) = σ(xᵢ)
 * and glu gives xᵢ · σ(0). glu along the row splits it into halves a = x[0, N/2) and
 * b = x[N/2, N) and its N/2 results a · σ(b) are drawn at a's x values.
 */

/** Points on the x grid: even, so glu can halve a row. */
export const GRID_POINTS = 1024;

/** The x grid as the library makes it: `mx.linspace(xMin, xMax, GRID_POINTS)` (float32). */
export function makeGrid(scope: ArrayScope, xMin: number, xMax: number): mx.Array {
  return scope.track(mx.linspace(xMin, xMax, GRID_POINTS));
}

/** The input a function gets for the plot (see above). */
export function plotInput(scope: ArrayScope, info: ActivationInfo, x: mx.Array): mx.Array {
  if (!worksAlongAxis(info)) return x;
  const row = scope.track(x.reshape([1, GRID_POINTS]));
  const zeros = scope.track(mx.zeros([1, GRID_POINTS]));
  return scope.track(mx.concatenate([row, zeros], 0));
}

/** One sentence on what the plotted curve of a function is, for the UI. */
export function describePlot(info: ActivationInfo, axis: number | undefined): string {
  if (!worksAlongAxis(info)) return `y = ${info.name}(x) at each of the ${GRID_POINTS} x values.`;
  const input = `${info.name} of X = [x; 0] (2 × ${GRID_POINTS}) along axis ${axis}, row 0 plotted`;
  const alongRow = axis === -1 || axis === 1;
  if (info.name === "glu") {
    return alongRow
      ? `${input}: the row splits into a = the left half of x and b = the right half; y = a·σ(b) is drawn at a's x (left half only).`
      : `${input}: each column (x, 0) splits into a = x and b = 0, so y = x·σ(0) = x/2.`;
  }
  return alongRow
    ? `${input}: all ${GRID_POINTS} grid values are normalised together, as one row.`
    : `${input}: each column (x, 0) is normalised on its own, against the 0 below it.`;
}
