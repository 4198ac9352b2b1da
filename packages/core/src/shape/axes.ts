import { describeValue, NnkitError } from "../errors.js";

/** Turns a possibly negative axis into 0..ndim-1, or throws naming the function. */
export function normalizeAxis(fn: string, axis: unknown, ndim: number, arg = "axis"): number {
  if (!Number.isInteger(axis)) {
    throw new NnkitError(fn, `${arg} must be an integer; got ${describeValue(axis)}`);
  }
  const a = axis as number;
  if (a < -ndim || a >= ndim) {
    throw new NnkitError(
      fn,
      ndim === 0
        ? `${arg} ${a} is out of range for a 0-d array`
        : `${arg} ${a} is out of range for an array with ${ndim} dimension${ndim === 1 ? "" : "s"} (expected -${ndim} to ${ndim - 1})`,
    );
  }
  return a < 0 ? a + ndim : a;
}

/**
 * Normalises `axis` as reductions take it: undefined means every axis; a number or a list
 * of numbers otherwise. Duplicates are an error, as in MLX.
 */
export function normalizeAxes(
  fn: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(list)) {
    throw new NnkitError(
      fn,
      `axis must be an integer or a list of integers; got ${describeValue(axis)}`,
    );
  }
  const out = list.map((a) => normalizeAxis(fn, a, ndim));
  if (new Set(out).size !== out.length) {
    throw new NnkitError(fn, `axis ${describeValue(axis)} names the same axis twice`);
  }
  return out.sort((x, y) => x - y);
}
