import {
  type ArrayInput,
  abs,
  add,
  sigmoid as coreSigmoid,
  tanh as coreTanh,
  divide,
  equal,
  erfc,
  isinf,
  logaddexp,
  type Array as MxArray,
  maximum,
  minimum,
  multiply,
  negative,
  sign,
  where,
} from "@nnkit/core";
import { floatInput, input, rejectBool } from "../validate.js";

/**
 * The "x·gate(x)" activations give NaN at −inf in MLX only because they compute −inf·0; nnkit
 * returns the limit (−0, matching the −0 that very negative finite inputs round to).
 */
function limitAtMinusInf(a: MxArray, value: MxArray): MxArray {
  return where(equal(a, Number.NEGATIVE_INFINITY), -0, value);
}

/** `sigmoid(x) = 1 / (1 + exp(−x))`, computed stably. */
export function sigmoid(x: ArrayInput): MxArray {
  return coreSigmoid(floatInput("sigmoid", x));
}

/** `tanh(x)`. */
export function tanh(x: ArrayInput): MxArray {
  return coreTanh(floatInput("tanh", x));
}

/** `silu(x) = x·sigmoid(x)` (swish). */
export function silu(x: ArrayInput): MxArray {
  const a = floatInput("silu", x);
  return limitAtMinusInf(a, multiply(a, coreSigmoid(a)));
}

/** `softplus(x) = log(1 + exp(x))`, as MLX's `logaddexp(x, 0)`. */
export function softplus(x: ArrayInput): MxArray {
  return logaddexp(floatInput("softplus", x), 0);
}

/** `logSigmoid(x) = −softplus(−x)`. */
export function logSigmoid(x: ArrayInput): MxArray {
  const raw = input("logSigmoid", x);
  rejectBool("logSigmoid", raw);
  const a = floatInput("logSigmoid", raw);
  return negative(logaddexp(negative(a), 0));
}

/** `mish(x) = x·tanh(softplus(x))`. */
export function mish(x: ArrayInput): MxArray {
  const a = floatInput("mish", x);
  return limitAtMinusInf(a, multiply(a, coreTanh(logaddexp(a, 0))));
}

/** `hardswish(x) = x·min(max(x + 3, 0), 6) / 6`. */
export function hardswish(x: ArrayInput): MxArray {
  const a = floatInput("hardswish", x);
  // x·(gate/6) rather than (x·gate)/6: the same value, without overflow near the float32 max on
  // backends that compute in float32.
  return limitAtMinusInf(a, multiply(a, divide(minimum(maximum(add(a, 3), 0), 6), 6)));
}

/** `softsign(x) = x / (1 + |x|)`; ±inf gives ±1 (MLX: NaN from inf/inf). */
export function softsign(x: ArrayInput): MxArray {
  const a = floatInput("softsign", x);
  return where(isinf(a), sign(a), divide(a, add(abs(a), 1)));
}

/**
 * `gelu(x) = x·(1 + erf(x/√2)) / 2`, computed as x·erfc(−x/√2)/2, the same function without
 * the cancellation that makes MLX return 0 for x below about −5.
 */
export function gelu(x: ArrayInput): MxArray {
  const a = floatInput("gelu", x);
  // (x/2)·erfc: halving first keeps x·erfc (up to 2x) from overflowing in float32.
  return limitAtMinusInf(a, multiply(multiply(a, 0.5), erfc(divide(a, -Math.SQRT2))));
}

/** √(2/π), the constant of the tanh approximation. */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * `geluApprox(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, computed through the identity
 * 1 + tanh(u) = 2·sigmoid(2u), which keeps the negative tail instead of cancelling to 0.
 */
export function geluApprox(x: ArrayInput): MxArray {
  const a = floatInput("geluApprox", x);
  const cubic = add(a, multiply(multiply(multiply(a, a), a), 0.044715));
  return limitAtMinusInf(a, multiply(a, coreSigmoid(multiply(cubic, 2 * SQRT_2_OVER_PI))));
}

/** `geluFastApprox(x) = x·sigmoid(1.702·x)`. */
export function geluFastApprox(x: ArrayInput): MxArray {
  const a = floatInput("geluFastApprox", x);
  return limitAtMinusInf(a, multiply(a, coreSigmoid(multiply(a, 1.702))));
}
