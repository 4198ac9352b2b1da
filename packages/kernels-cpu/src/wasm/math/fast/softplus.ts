/**
 * Fused fast functions for logaddexp(x, +0) — softplus, and logSigmoid on −x — and for
 * tanh(logaddexp(x, +0)), mish's gate. The SIMD compiler calls them in place of those ops
 * (`fused-math.ts`) when the math is "fast"; the reproducible math keeps the ops.
 *
 * softplus(x) = max(x, 0) + log1p(e^-|x|) is fast logaddexp with its other operand fixed at
 * +0: the same value, bit for bit, without the lanes logaddexp needs for a general second
 * operand (NaN or infinite operands, the cancellation band, which needs max < 0).
 *
 * tanh(softplus(x)) = ((1 + u)² − 1)/((1 + u)² + 1) = n/(n + 2) with u = e^x, n = u·(u + 2):
 * one exp and one division where tanh∘logaddexp takes an exp, a log1p (with its own division)
 * and an expm1 (with another). Every term is positive, so nothing cancels: u's relative error
 * (2^-34, exp.ts) enters n at most twice, and n/(n + 2) passes on at most its full relative
 * error (its relative condition number is 2/(n + 2) ≤ 1): about 2^-33 in all, plus a few
 * roundings. x is capped at 20, where n/(n + 2) is 1 in double (1 − 2/n is below 2^-54 there).
 */

import type { V, VecBuilder } from "../vec.js";
import { EXP_MIN, expInRange, expNonPositive } from "./exp.js";
import { log1pUnit } from "./log.js";

/** max(x, 0) + log1p(e^-|x|); NaN → NaN, −inf → +0, +inf → +inf. */
export function emitFastSoftplus(b: VecBuilder): V {
  const x = b.param(0);
  // pmax keeps a NaN x; max(−0, +0)'s sign is lost in the sum (log1p(e^0) = ln 2 is added).
  const hi = b.pmax(x, b.f64(0));
  return b.add(hi, log1pUnit(b, expNonPositive(b, b.neg(b.abs(x)))));
}

/** tanh(softplus(x)) = n/(n + 2), n = u·(u + 2), u = e^min(x, 20); −inf → +0, NaN → NaN. */
export function emitFastTanhSoftplus(b: VecBuilder): V {
  const x = b.param(0);
  // pmin/pmax keep a NaN x, which expInRange turns into a NaN result.
  const capped = b.pmax(b.pmin(x, b.f64(20)), b.f64(EXP_MIN));
  const u = b.andNot(expInRange(b, capped), b.lt(x, b.f64(EXP_MIN)));
  const n = b.mul(u, b.add(u, b.f64(2)));
  return b.div(n, b.add(n, b.f64(2)));
}
