import {
  type ArrayInput,
  type AxisArg,
  logSoftmax as coreLogSoftmax,
  softmax as coreSoftmax,
  softmin as coreSoftmin,
  type Array as MxArray,
  multiply,
  NnkitError,
  sigmoid,
  split,
} from "@nnkit/core";
import { input, rejectBool } from "../validate.js";

function checkAxis(fn: string, a: MxArray, axis: AxisArg): void {
  if (a.ndim === 0)
    throw new NnkitError(fn, "x must have at least one dimension (got a 0-d array)");
  const list = typeof axis === "number" ? [axis] : axis;
  if (list === undefined) return;
  for (const ax of list) {
    if (!Number.isInteger(ax) || ax < -a.ndim || ax >= a.ndim) {
      throw new NnkitError(
        fn,
        `axis ${ax} is out of range for an array with ${a.ndim} dimension${a.ndim === 1 ? "" : "s"} (expected -${a.ndim} to ${a.ndim - 1})`,
      );
    }
  }
}

/** `softmax(x, axis = −1) = exp(x) / Σ exp(x)` over `axis` (a number or a list; negative allowed). */
export function softmax(x: ArrayInput, axis: AxisArg = -1): MxArray {
  const a = input("softmax", x);
  checkAxis("softmax", a, axis);
  return coreSoftmax(a, axis);
}

/** `softmin(x, axis = −1) = softmax(−x, axis)`, one kernel that reads x negated (no −x copy). */
export function softmin(x: ArrayInput, axis: AxisArg = -1): MxArray {
  const a = input("softmin", x);
  rejectBool("softmin", a);
  checkAxis("softmin", a, axis);
  return coreSoftmin(a, axis);
}

/** `logSoftmax(x, axis = −1) = x − logsumexp(x, axis)`; the largest entry keeps its tiny negative value. */
export function logSoftmax(x: ArrayInput, axis: AxisArg = -1): MxArray {
  const a = input("logSoftmax", x);
  checkAxis("logSoftmax", a, axis);
  if (a.size === 0) {
    throw new NnkitError("logSoftmax", "x is empty; MLX cannot reduce an empty array");
  }
  return coreLogSoftmax(a, axis);
}

/**
 * `glu(x, axis = −1) = a·sigmoid(b)` where a and b are the first and second halves of x along
 * `axis` (the first half is the value, the second the gate).
 */
export function glu(x: ArrayInput, axis = -1): MxArray {
  const fn = "glu";
  const a = input(fn, x);
  checkAxis(fn, a, axis);
  const size = a.shape[axis < 0 ? axis + a.ndim : axis] as number;
  if (size % 2 !== 0) {
    throw new NnkitError(
      fn,
      `axis ${axis} has size ${size}, which cannot be split into two equal halves`,
    );
  }
  const [value, gate] = split(a, 2, axis) as [MxArray, MxArray];
  return multiply(value, sigmoid(gate));
}
