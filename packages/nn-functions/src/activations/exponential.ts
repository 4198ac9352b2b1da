import {
  type ArrayInput,
  add,
  divide,
  expm1,
  greater,
  type Array as MxArray,
  maximum,
  minimum,
  multiply,
  where,
} from "@nnkit/core";
import { checkNumber, floatInput } from "../validate.js";

/** SELU's constants exactly as MLX writes them (torch/jax use more digits). */
export const SELU_ALPHA = 1.67326;
export const SELU_SCALE = 1.0507;

function eluOf(a: MxArray, alpha: number): MxArray {
  // MLX writes alpha·(exp(x) − 1); expm1 is the same function without the cancellation near 0.
  return where(greater(a, 0), a, multiply(expm1(a), alpha));
}

/** `elu(x, alpha = 1) = x if x > 0 else alpha·(exp(x) − 1)`. */
export function elu(x: ArrayInput, alpha = 1): MxArray {
  const al = checkNumber("elu", "alpha", alpha);
  return eluOf(floatInput("elu", x), al);
}

/** `celu(x, alpha = 1) = max(x, 0) + alpha·(exp(min(x, 0) / alpha) − 1)`. */
export function celu(x: ArrayInput, alpha = 1): MxArray {
  const al = checkNumber("celu", "alpha", alpha, { nonZero: true });
  const a = floatInput("celu", x);
  return add(maximum(a, 0), multiply(expm1(divide(minimum(a, 0), al)), al));
}

/** `selu(x) = 1.0507·elu(x, 1.67326)`, with MLX's truncated constants. */
export function selu(x: ArrayInput): MxArray {
  return multiply(eluOf(floatInput("selu", x), SELU_ALPHA), SELU_SCALE);
}
