import { describeValue, NnkitError } from "../errors.js";

export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] ?? 1;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * `shape` as a frozen array: the same array when it is frozen already (arrays share their
 * immutable shapes), else a frozen copy. The copy is a loop because `slice` of a frozen array
 * takes V8's slow path (about 0.4 µs, where a loop takes 0.03).
 */
export function frozenShape(shape: Shape): Shape {
  if (Object.isFrozen(shape)) return shape;
  const out = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) out[i] = shape[i] as number;
  return Object.freeze(out);
}

export function formatShape(shape: Shape): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/** Validates a user-supplied shape: non-negative safe integers. */
export function checkShape(fn: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new NnkitError(
      fn,
      `${arg} must be an array of non-negative integers; got ${describeValue(shape)}`,
    );
  }
  return shape.slice();
}
