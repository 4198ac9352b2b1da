import type { ArrayInput } from "@nnkit/core";
import { array, astype, atLeastFloat, type Array as MxArray, NnkitError } from "@nnkit/core";

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** A number parameter; `finite` rejects ±inf/NaN, `nonNegative` rejects values below 0. */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  rules: { finite?: boolean; nonNegative?: boolean; nonZero?: boolean } = {},
): number {
  if (typeof value !== "number") {
    throw new NnkitError(fn, `${name} must be a number; got ${show(value)}`);
  }
  if (rules.finite && !Number.isFinite(value)) {
    throw new NnkitError(fn, `${name} must be a finite number; got ${show(value)}`);
  }
  if (rules.nonNegative && !(value >= 0)) {
    throw new NnkitError(fn, `${name} must be non-negative; got ${show(value)}`);
  }
  if (rules.nonZero && value === 0) {
    throw new NnkitError(fn, `${name} must not be zero; got ${show(value)}`);
  }
  return value;
}

/** The input as an array (nested arrays and typed arrays accepted, as core ops do). */
export function input(fn: string, x: ArrayInput): MxArray {
  if (x === undefined || x === null) {
    throw new NnkitError(
      fn,
      `x must be an array, a number, nested arrays or a typed array; got ${x}`,
    );
  }
  return array(x);
}

/**
 * The input in at least float32: MLX's activations return float32 for integer inputs because
 * their float constants promote; JavaScript numbers cannot say "float", so cast explicitly.
 */
export function floatInput(fn: string, x: ArrayInput): MxArray {
  const a = input(fn, x);
  const d = atLeastFloat(a.dtype);
  return d === a.dtype ? a : astype(a, d);
}

/** MLX raises on negating bool arrays; say so under the activation's own name. */
export function rejectBool(fn: string, a: MxArray): void {
  if (a.dtype === "bool") {
    throw new NnkitError(
      fn,
      "bool input is not supported (MLX raises on negating bool arrays); cast with astype first",
    );
  }
}
