/**
 * Fast sigmoid and logaddexp over f64x2, from the fast exp and log1p (exp.ts, log.ts) inlined:
 * both need e^t only for t ≤ 0 and log1p only on [0, 1], which skips their range handling.
 * Errors: sigmoid is within the exp's 2^-34 plus three roundings; logaddexp's log1p term is
 * within 2^-40 and e^t's error enters it scaled by e^t/(1 + e^t) ≤ ½: about 2^-34 in all.
 */

import type { MathCalls } from "../index.js";
import type { V, VecBuilder } from "../vec.js";
import { expNonPositive } from "./exp.js";
import { log1pUnit } from "./log.js";

/** sigmoid(x) = (x ≥ 0 ? 1 : e)/(1 + e) with e = e^-|x|: one exp, one division. */
export function emitFastSigmoid(b: VecBuilder): V {
  const x = b.param(0);
  const e = expNonPositive(b, b.neg(b.abs(x)));
  // NaN fails x ≥ 0 and e is NaN: the quotient is NaN.
  const num = b.select(b.ge(x, b.f64(0)), b.f64(1), e);
  return b.div(num, b.add(b.f64(1), e));
}

/**
 * logaddexp(a, b) = hi + log1p(e^(lo − hi)); hi itself where lo is −inf or hi is +inf (where
 * lo − hi would be NaN or irrelevant). hi and lo are pmax/pmin (one instruction each, where
 * max/min take several on x86), which drop a NaN in the second operand: a NaN operand is put
 * back at the end (as a + b, which is then NaN).
 *
 * The sum cancels where hi ∈ (−ln 2, 0): there the result can be far smaller than either term,
 * and the terms' absolute error (2^-34 of ln 2) is not small relative to it. Vectors with a lane
 * in (−1, 0) take the reproducible logaddexp instead (float64-accurate terms, so 2^-52 absolute
 * suffices down to any result a float32 pair can produce); softplus, logSigmoid and mish,
 * whose hi is never negative, never do.
 */
export function emitFastLogaddexp(b: VecBuilder, calls: MathCalls): V {
  const x = b.param(0);
  const y = b.param(1);
  const hi = b.pmax(x, y);
  const lo = b.pmin(x, y);
  const sum = b.add(hi, log1pUnit(b, expNonPositive(b, b.sub(lo, hi))));
  const keep = b.or(
    b.eq(lo, b.f64(Number.NEGATIVE_INFINITY)),
    b.eq(hi, b.f64(Number.POSITIVE_INFINITY)),
  );
  const nan = b.or(b.ne(x, x), b.ne(y, y));
  const fast = b.select(nan, b.add(x, y), b.select(keep, hi, sum));
  const cancels = b.and(b.lt(hi, b.f64(0)), b.gt(hi, b.f64(-1)));
  const [accurate] = b.when(cancels, () => [
    b.call(calls.index("logaddexp", "reproducible"), x, y),
  ]);
  return b.select(cancels, accurate as V, fast);
}
