/**
 * sigmoid and logaddexp over f64x2, as `semantics.ts` defines them, calling the vector exp and
 * log1p (which give Math.exp's and Math.log1p's bits), so the composition matches too.
 */

import type { MathCalls } from "./index.js";
import type { V, VecBuilder } from "./vec.js";

/**
 * sigmoid(x) = x >= 0 ? 1 / (1 + exp(-x)) : e / (1 + e) with e = exp(x). Both branches need
 * exp(-|x|) (-x is -|x| where x >= 0, including x = -0, whose exp is 1 either way), so one call
 * serves both lanes; NaN fails x >= 0 and propagates through e / (1 + e).
 */
export function emitSigmoid(b: VecBuilder, calls: MathCalls): V {
  const x = b.param(0);
  const e = b.call(calls.index("exp"), b.neg(b.abs(x)));
  const d = b.add(b.f64(1), e);
  return b.select(b.ge(x, b.f64(0)), b.div(b.f64(1), d), b.div(e, d));
}

/**
 * logaddexp(a, b) = hi + log1p(exp(lo - hi)) with hi = max, lo = min, or hi itself where lo is
 * -inf or hi is +inf. f64x2.max/min propagate NaN as Math.max/min do, so a NaN operand makes hi
 * NaN on every path (semantics.ts returns NaN first; the result is the same).
 */
export function emitLogaddexp(b: VecBuilder, calls: MathCalls): V {
  const hi = b.max(b.param(0), b.param(1));
  const lo = b.min(b.param(0), b.param(1));
  const e = b.call(calls.index("exp"), b.sub(lo, hi));
  const sum = b.add(hi, b.call(calls.index("log1p"), e));
  const keep = b.or(
    b.eq(lo, b.f64(Number.NEGATIVE_INFINITY)),
    b.eq(hi, b.f64(Number.POSITIVE_INFINITY)),
  );
  return b.select(keep, hi, sum);
}
