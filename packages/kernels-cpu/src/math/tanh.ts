/**
 * tanh in float64 (replaces Math.tanh, which V8 computes to within 2 ulp, not 1).
 *
 * Method: for |x| < 2^-6 the odd Taylor series x (1 - x^2/3 + 2x^4/15 - ...) truncated after the
 * x^11 term (truncation below 2^-66 relatively), whose correction to x is so small that its
 * rounding does not matter; for 2^-6 <= |x| < 22, tanh|x| = E / (E + 2) with E = e^(2|x|) - 1,
 * where e^(2|x|) comes from the double-double exponential of dd.ts (2|x| is exact), so E, E + 2
 * and the quotient are formed in double-double and only the final conversion rounds. Beyond 22,
 * 1 - tanh|x| < 2^-62 and the result is +-1. Signs, -0, NaN and +-inf follow tanh's oddness.
 */

import { dd, expDD, pow2, twoProd, twoSum } from "./dd.js";

/** The hyperbolic tangent. */
export function tanh(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a < 0.015625) {
    if (a < 3.725290298461914e-9) return x; // |x| < 2^-28: x^3/3 is below 2^-57.6 relatively
    const z = x * x;
    const c =
      z * (-1 / 3 + z * (2 / 15 + z * (-17 / 315 + z * (62 / 2835 + z * (-1382 / 155925)))));
    return x + x * c;
  }
  if (a >= 22) return x > 0 ? 1 : -1;
  expDD(2 * a, 0);
  const sc = pow2(dd[2] as number);
  const big = (dd[3] as number) * sc; // exact scaling
  // E = e^(2a) - 1 (>= 0.0317), then D = E + 2, both double-double
  twoSum(big, -1);
  const eh = dd[0] as number;
  const el = (dd[1] as number) + (dd[4] as number) * sc;
  twoSum(eh, 2);
  const dh = dd[0] as number;
  const dl = (dd[1] as number) + el;
  const q1 = eh / dh;
  twoProd(q1, dh);
  const q2 = (eh - (dd[0] as number) - (dd[1] as number) + el - q1 * dl) / dh;
  const v = q1 + q2;
  return x < 0 ? -v : v;
}
