import { MxArray } from "../array/array.js";
import type { DType } from "../dtype/dtype.js";
import { atLeastFloat } from "../dtype/promotion.js";
import { NnkitError } from "../errors.js";
import type { ReduceOp } from "../expr/ops.js";
import { normalizeAxes } from "../shape/axes.js";
import { formatShape } from "../shape/shape.js";
import { astype } from "./cast.js";
import { type ArrayInput, toArray } from "./input.js";
import { reshape } from "./shape-ops.js";

export type AxisArg = number | readonly number[] | undefined;

const RESULT: Record<ReduceOp, (d: DType) => DType> = {
  sum: (d) => (d === "bool" ? "int32" : d),
  mean: atLeastFloat,
  max: (d) => d,
  min: (d) => d,
  logsumexp: atLeastFloat,
};

/** Reductions whose identity is undefined, so an empty reduced axis is an error (as in MLX). */
const NEEDS_ELEMENTS = new Set<ReduceOp>(["max", "min", "logsumexp"]);

function reduce(op: ReduceOp, x: ArrayInput, axis: AxisArg, keepdims: boolean): MxArray {
  const fn = op;
  const a = toArray(fn, "x", x);
  const axes = normalizeAxes(fn, axis, a.ndim);
  const dtype = RESULT[op](a.dtype);
  if (NEEDS_ELEMENTS.has(op) && axes.some((ax) => a.shape[ax] === 0)) {
    throw new NnkitError(fn, `cannot reduce over an empty axis (shape ${formatShape(a.shape)})`);
  }
  if (axes.length === 0) return a.dtype === dtype ? a : astype(a, dtype);
  const shape = a.shape.filter((_, i) => !axes.includes(i));
  const out = new MxArray(shape, dtype, a.device, {
    node: { prim: { kind: "reduce", op, axes }, inputs: [a] },
  });
  return keepdims
    ? reshape(
        out,
        a.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : out;
}

/** Sum over `axis` (all axes by default); accumulates in float64 on the CPU. bool sums to int32. */
export function sum(x: ArrayInput, axis?: AxisArg, keepdims = false): MxArray {
  return reduce("sum", x, axis, keepdims);
}

export function mean(x: ArrayInput, axis?: AxisArg, keepdims = false): MxArray {
  return reduce("mean", x, axis, keepdims);
}

/** Maximum over `axis`; NaN propagates. An empty axis is an error. */
export function max(x: ArrayInput, axis?: AxisArg, keepdims = false): MxArray {
  return reduce("max", x, axis, keepdims);
}

/** Minimum over `axis`; NaN propagates. An empty axis is an error. */
export function min(x: ArrayInput, axis?: AxisArg, keepdims = false): MxArray {
  return reduce("min", x, axis, keepdims);
}

/** log(sum(exp(x))) over `axis`, computed stably; returns the max where it is infinite, as MLX. */
export function logsumexp(x: ArrayInput, axis?: AxisArg, keepdims = false): MxArray {
  return reduce("logsumexp", x, axis, keepdims);
}
