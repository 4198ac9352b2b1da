import { MxArray } from "../array/array.js";
import { isFloating } from "../dtype/dtype.js";
import { atLeastFloat } from "../dtype/promotion.js";
import { NnkitError } from "../errors.js";
import type { SoftmaxVariant } from "../expr/ops.js";
import { normalizeAxes } from "../shape/axes.js";
import { astype } from "./cast.js";
import { unaryOp } from "./elementwise.js";
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

function softmaxOp(fn: string, a: MxArray, axis: AxisArg, variant: SoftmaxVariant): MxArray {
  const axes = normalizeAxes(fn, axis, a.ndim);
  const dtype = atLeastFloat(a.dtype);
  if (a.size === 0 || axes.length === 0) return a.dtype === dtype ? a : astype(a, dtype);
  const out = new MxArray(a.shape, dtype, a.device, {
    node: { prim: { kind: "softmax", axes, variant }, inputs: [a] },
  });
  if (variant !== "logSoftmax" && !isFloating(a.dtype) && !takesFusedPath(a.shape, axes)) {
    return astype(out, a.dtype);
  }
  return out;
}

/**
 * `softmax(x, axis?)`: exp(x) normalised to sum to 1 over `axis` (every axis by default, as MLX).
 * Computed as one kernel from the row's max, so large inputs do not overflow; a row with +inf
 * or NaN, or only -inf, gives NaN as in MLX.
 */
export function softmax(x: ArrayInput, axis?: AxisArg): MxArray {
  return softmaxOp("softmax", toArray("softmax", "x", x), axis, "softmax");
}

/**
 * `softmin(x, axis?)` = softmax(−x, axis) (every axis by default, as `softmax`), with the
 * negation done by the softmax kernel as it reads x: one pass over memory fewer than negating
 * first, and the same bits. Not an MLX core op (MLX's `nn.softmin` is `softmax(-x)`); nnkit's
 * `nn.softmin` is built on it. Integer inputs are negated first in their own dtype, as MLX's
 * `-x` does (unsigned values wrap around), then normalised as by `softmax`; bool is rejected,
 * as MLX rejects negating it.
 */
export function softmin(x: ArrayInput, axis?: AxisArg): MxArray {
  const a = toArray("softmin", "x", x);
  if (a.dtype === "bool") {
    throw new NnkitError("softmin", "x is bool; negating bool is not supported (MLX raises too)");
  }
  // No kernel runs for an empty array or an empty axis list: softmax returns its input there.
  const kernel = a.size > 0 && normalizeAxes("softmin", axis, a.ndim).length > 0;
  if (isFloating(a.dtype) && kernel) return softmaxOp("softmin", a, axis, "softmin");
  return softmaxOp("softmin", unaryOp("softmin", "negative", a), axis, "softmax");
}

/**
 * `logSoftmax(x, axis?)`: x - logsumexp(x) over `axis`, computed as (x - max) - log1p(rest) so
 * the row's largest entry keeps its tiny negative value. Not an MLX core op; nnkit's
 * `nn.logSoftmax` is built on it.
 */
export function logSoftmax(x: ArrayInput, axis?: AxisArg): MxArray {
  return softmaxOp("logSoftmax", toArray("logSoftmax", "x", x), axis, "logSoftmax");
}
