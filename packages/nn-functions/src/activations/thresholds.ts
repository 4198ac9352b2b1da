import {
  type ArrayInput,
  abs,
  greater,
  greaterEqual,
  type Array as MxArray,
  maximum,
  minimum,
  multiply,
  NnkitError,
  sign,
  subtract,
  where,
} from "@nnkit/core";
import { checkNumber, floatInput, input } from "../validate.js";

const LAMBD = { finite: true, nonNegative: true } as const;

/** `hardShrink(x, lambd = 0.5) = x if |x| > lambd else 0` (strict; NaN → 0). Keeps the dtype. */
export function hardShrink(x: ArrayInput, lambd = 0.5): MxArray {
  const l = checkNumber("hardShrink", "lambd", lambd, LAMBD);
  const a = input("hardShrink", x);
  return where(greater(abs(a), l), a, 0);
}

/** `softshrink(x, lambd = 0.5) = x − sign(x)·lambd if |x| > lambd else 0` (strict; NaN → 0). */
export function softshrink(x: ArrayInput, lambd = 0.5): MxArray {
  const l = checkNumber("softshrink", "lambd", lambd, LAMBD);
  const a = floatInput("softshrink", x);
  return where(greater(abs(a), l), subtract(a, multiply(sign(a), l)), 0);
}

/** `hardTanh(x, minVal = −1, maxVal = 1) = min(max(x, minVal), maxVal)`. */
export function hardTanh(x: ArrayInput, minVal = -1, maxVal = 1): MxArray {
  const fn = "hardTanh";
  const lo = checkNumber(fn, "minVal", minVal);
  const hi = checkNumber(fn, "maxVal", maxVal);
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) {
    throw new NnkitError(fn, `minVal (${lo}) must not be greater than maxVal (${hi})`);
  }
  return minimum(maximum(floatInput(fn, x), lo), hi);
}

/** `step(x, threshold = 0) = 1 if x >= threshold else 0`, always int32 (inclusive since MLX 0.32). */
export function step(x: ArrayInput, threshold = 0): MxArray {
  const t = checkNumber("step", "threshold", threshold);
  return greaterEqual(input("step", x), t).astype("int32");
}
