import { MxArray } from "../array/array.js";
import { promote } from "../dtype/promotion.js";
import { describeValue, NnkitError } from "../errors.js";
import { normalizeAxes, normalizeAxis } from "../shape/axes.js";
import { broadcastShapesFor } from "../shape/broadcast.js";
import { formatShape, shapeSize, shapesEqual } from "../shape/shape.js";
import { astype } from "./cast.js";
import { type ArrayInput, checkSameDevice, toArray } from "./input.js";

/** `reshape(x, shape)`: same elements, new shape; one entry may be -1 (inferred). */
export function reshape(x: ArrayInput, shape: readonly number[]): MxArray {
  const fn = "reshape";
  const a = toArray(fn, "x", x);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new NnkitError(
      fn,
      `shape must be a list of non-negative integers (one may be -1); got ${describeValue(shape)}`,
    );
  }
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1)
    throw new NnkitError(fn, `only one dimension can be -1; got ${formatShape(shape)}`);
  const out = shape.slice();
  if (inferred === 1) {
    const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
    if (known === 0 || a.size % known !== 0) {
      throw new NnkitError(
        fn,
        `cannot infer the -1 in ${formatShape(shape)} for an array of size ${a.size}`,
      );
    }
    out[out.indexOf(-1)] = a.size / known;
  }
  if (shapeSize(out) !== a.size) {
    throw new NnkitError(
      fn,
      `cannot reshape an array of shape ${formatShape(a.shape)} (size ${a.size}) into shape ${formatShape(out)} (size ${shapeSize(out)})`,
    );
  }
  if (shapesEqual(out, a.shape)) return a;
  return new MxArray(out, a.dtype, a.device, { node: { prim: { kind: "reshape" }, inputs: [a] } });
}

/** `transpose(x, axes?)`: permutes axes; reverses them by default. */
export function transpose(x: ArrayInput, axes?: readonly number[]): MxArray {
  const fn = "transpose";
  const a = toArray(fn, "x", x);
  const perm =
    axes === undefined ? a.shape.map((_, i) => a.ndim - 1 - i) : normalizeAxes(fn, axes, a.ndim);
  if (axes !== undefined) {
    if (axes.length !== a.ndim) {
      throw new NnkitError(
        fn,
        `axes ${describeValue(axes)} must name each of the ${a.ndim} axes exactly once`,
      );
    }
    // normalizeAxes sorted the copy; keep the user's order.
    for (let i = 0; i < axes.length; i++) perm[i] = normalizeAxis(fn, axes[i], a.ndim, "axes");
  }
  const shape = perm.map((p) => a.shape[p] as number);
  return new MxArray(shape, a.dtype, a.device, {
    node: { prim: { kind: "transpose", perm }, inputs: [a] },
  });
}

/** `expandDims(x, axis)`: inserts size-1 axes at the given positions of the result. */
export function expandDims(x: ArrayInput, axis: number | readonly number[]): MxArray {
  const fn = "expandDims";
  const a = toArray(fn, "x", x);
  const count = typeof axis === "number" ? 1 : axis.length;
  const axes = normalizeAxes(fn, axis, a.ndim + count);
  const shape: number[] = [];
  let src = 0;
  for (let i = 0; i < a.ndim + count; i++)
    shape.push(axes.includes(i) ? 1 : (a.shape[src++] as number));
  return new MxArray(shape, a.dtype, a.device, {
    node: { prim: { kind: "reshape" }, inputs: [a] },
  });
}

/** `squeeze(x, axis?)`: removes size-1 axes (all of them, or the ones named). */
export function squeeze(x: ArrayInput, axis?: number | readonly number[]): MxArray {
  const fn = "squeeze";
  const a = toArray(fn, "x", x);
  const axes =
    axis === undefined
      ? a.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes(fn, axis, a.ndim);
  for (const ax of axes) {
    if (a.shape[ax] !== 1) {
      throw new NnkitError(
        fn,
        `cannot squeeze axis ${ax} of shape ${formatShape(a.shape)}: its size is ${a.shape[ax]}, not 1`,
      );
    }
  }
  const shape = a.shape.filter((_, i) => !axes.includes(i));
  return new MxArray(shape, a.dtype, a.device, {
    node: { prim: { kind: "reshape" }, inputs: [a] },
  });
}

/** `broadcastTo(x, shape)`: a read-only view of x stretched to `shape` by NumPy rules. */
export function broadcastTo(x: ArrayInput, shape: readonly number[]): MxArray {
  const fn = "broadcastTo";
  const a = toArray(fn, "x", x);
  const out = broadcastShapesFor(fn, a.shape, shape);
  if (!shapesEqual(out, shape)) {
    throw new NnkitError(
      fn,
      `cannot broadcast shape ${formatShape(a.shape)} to ${formatShape(shape)}`,
    );
  }
  if (shapesEqual(out, a.shape)) return a;
  return new MxArray(out, a.dtype, a.device, {
    node: { prim: { kind: "broadcast" }, inputs: [a] },
  });
}

/** @internal A box slice [starts, starts + shape) of `a`. */
export function slice(a: MxArray, starts: readonly number[], shape: readonly number[]): MxArray {
  return new MxArray(shape, a.dtype, a.device, {
    node: { prim: { kind: "slice", starts }, inputs: [a] },
  });
}

/**
 * `split(x, indicesOrSections, axis = 0)`: a number splits into that many equal parts (it must
 * divide the axis); a list gives the indices where each part starts, as in MLX and NumPy.
 */
export function split(
  x: ArrayInput,
  indicesOrSections: number | readonly number[],
  axis = 0,
): MxArray[] {
  const fn = "split";
  const a = toArray(fn, "x", x);
  const ax = normalizeAxis(fn, axis, a.ndim);
  const n = a.shape[ax] as number;
  let bounds: number[];
  if (typeof indicesOrSections === "number") {
    if (!Number.isInteger(indicesOrSections) || indicesOrSections <= 0) {
      throw new NnkitError(
        fn,
        `the number of sections must be a positive integer; got ${describeValue(indicesOrSections)}`,
      );
    }
    if (n % indicesOrSections !== 0) {
      throw new NnkitError(
        fn,
        `axis ${axis} has size ${n}, which cannot be split into ${indicesOrSections} equal parts`,
      );
    }
    const step = n / indicesOrSections;
    bounds = Array.from({ length: indicesOrSections - 1 }, (_, i) => (i + 1) * step);
  } else if (Array.isArray(indicesOrSections) && indicesOrSections.every(Number.isInteger)) {
    // NumPy semantics: negative indices count from the end; indices are clamped to [0, n].
    bounds = indicesOrSections.map((i) => Math.min(n, Math.max(0, i < 0 ? i + n : i)));
  } else {
    throw new NnkitError(
      fn,
      `indicesOrSections must be a positive integer or a list of integers; got ${describeValue(indicesOrSections)}`,
    );
  }
  const edges = [0, ...bounds, n];
  const parts: MxArray[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i] as number;
    const stop = Math.max(start, edges[i + 1] as number);
    const starts = a.shape.map((_, k) => (k === ax ? start : 0));
    const shape = a.shape.map((d, k) => (k === ax ? stop - start : d));
    parts.push(slice(a, starts, shape));
  }
  return parts;
}

/** `concatenate(arrays, axis = 0)`: joins arrays whose shapes agree except along `axis`. */
export function concatenate(arrays: readonly ArrayInput[], axis = 0): MxArray {
  const fn = "concatenate";
  if (!Array.isArray(arrays) || arrays.length === 0) {
    throw new NnkitError(fn, "arrays must be a non-empty list of arrays");
  }
  const inputs = arrays.map((x, i) => toArray(fn, `arrays[${i}]`, x));
  const device = checkSameDevice(fn, ...inputs);
  const first = inputs[0] as MxArray;
  const ax = normalizeAxis(fn, axis, first.ndim);
  let dtype = first.dtype;
  let total = 0;
  inputs.forEach((x, i) => {
    const same = x.ndim === first.ndim && x.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!same) {
      throw new NnkitError(
        fn,
        `arrays[${i}] has shape ${formatShape(x.shape)}, which does not match arrays[0]'s ${formatShape(first.shape)} outside axis ${axis}`,
      );
    }
    dtype = promote(fn, dtype, x.dtype);
    total += x.shape[ax] as number;
  });
  const cast = inputs.map((x) => (x.dtype === dtype ? x : astype(x, dtype)));
  const shape = first.shape.map((d, k) => (k === ax ? total : d));
  return new MxArray(shape, dtype, device, {
    node: { prim: { kind: "concatenate", axis: ax }, inputs: cast },
  });
}
