import { MxArray } from "../array/array.js";
import { isFloating } from "../dtype/dtype.js";
import { atLeastFloat } from "../dtype/promotion.js";
import { normalizeAxes } from "../shape/axes.js";
import { astype } from "./cast.js";
import { type ArrayInput, toArray } from "./input.js";
import type { AxisArg } from "./reduce.js";

/**
 * MLX's fused softmax path covers the last axis, or trailing axes whose leading sizes are 1;
 * any other axis goes through its generic path, which casts the result back to the input
 * dtype (so an integer input gives an integer result there). nnkit keeps that rule.
 */
function takesFusedPath(shape: readonly number[], axes: readonly number[]): boolean {
  const nd = shape.length;
  return axes.every(
    (ax, i) => ax === nd - axes.length + i && (i === axes.length - 1 || shape[ax] === 1),
  );
}

function softmaxOp(fn: string, x: ArrayInput, axis: AxisArg, log: boolean): MxArray {
  const a = toArray(fn, "x", x);
  const axes = normalizeAxes(fn, axis, a.ndim);
  const dtype = atLeastFloat(a.dtype);
  if (a.size === 0 || axes.length === 0) return a.dtype === dtype ? a : astype(a, dtype);
  const out = new MxArray(a.shape, dtype, a.device, {
    node: { prim: { kind: "softmax", axes, log }, inputs: [a] },
  });
  if (!log && !isFloating(a.dtype) && !takesFusedPath(a.shape, axes)) return astype(out, a.dtype);
  return out;
}

/**
 * `softmax(x, axis?)`: exp(x) normalised to sum to 1 over `axis` (every axis by default, as MLX).
 * Computed as one kernel from the row's max, so large inputs do not overflow; a row with +inf
 * or NaN, or only -inf, gives NaN as in MLX.
 */
export function softmax(x: ArrayInput, axis?: AxisArg): MxArray {
  return softmaxOp("softmax", x, axis, false);
}

/**
 * `logSoftmax(x, axis?)`: x - logsumexp(x) over `axis`, computed as (x - max) - log1p(rest) so
 * the row's largest entry keeps its tiny negative value. Not an MLX core op; nnkit's
 * `nn.logSoftmax` is built on it.
 */
export function logSoftmax(x: ArrayInput, axis?: AxisArg): MxArray {
  return softmaxOp("logSoftmax", x, axis, true);
}
