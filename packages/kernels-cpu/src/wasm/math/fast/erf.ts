/**
 * Fast erf and erfc over f64x2, branch-free:
 * - erfc(a) for a = |x| is e^(−a²)·t·Q(t) with t = 1/(1 + a/2), one polynomial over all of
 *   [0, ∞) (t in (0, 1]); erfc(x) for x < 0 is 2 − erfc(|x|), which cannot cancel (it is ≥ 1).
 * - erf(x) is x·P(x²) for |x| < 1/2, else ±(1 − erfc(|x|)): erfc(1/2) ≈ 0.48, so the
 *   subtraction at most doubles erfc's relative error.
 * Q and P come from `scripts/fit-fast-math.py` (relative errors 2^-36.7 and 2^-43.3, measured
 * with the float64 evaluation of the rounded coefficients). a² is rounded once (2^-53 of up to
 * 27², about 2^-43.5 of e^(−a²) after exponentiation) and the exp is within 2^-34: erfc is within
 * about 2^-34 of the exact value, relative, down to where e^(−a²) leaves the normal doubles
 * (a ≈ 26.6, far below float32's smallest erfc at a ≈ 10.05); erf within about 2^-33.
 */

import type { V, VecBuilder } from "../vec.js";
import { expNonPositive } from "./exp.js";

// degree 16 on [0, 1], max relative error 9.14e-12 (2^-36.7)
const ERFC_Q = [
  0.28209479177642954, 0.28209479018774886, 0.24683310534574743, 0.17630270183639823,
  0.08388436094264198, -0.006142917023892202, -0.04248472302930457, -0.13361916221214637,
  0.3128352058274526, -0.8376913052397829, 1.803454367975883, -2.350590883650763,
  1.8736828091293762, -0.9094729514462153, 0.24649872671529205, -0.02684013999699418,
  -0.0008387771441282672,
];
// erf(z)/z at w = z²: degree 6 on [0, 0.25], max relative error 9.27e-14 (2^-43.3)
const ERF_P = [
  1.1283791670954082, -0.37612638899124573, 0.11283791412532733, -0.026866108766368108,
  0.0052232697599033625, -0.0008506554779819621, 0.00010819982782163343,
];
/** Below this |x|, erf uses its own polynomial (1 − erfc would cancel). */
const ERF_SPLIT = 0.5;

/** erfc(a) for a ≥ 0 (+inf gives 0; NaN stays NaN). */
function erfcNonNegative(b: VecBuilder, a: V): V {
  const t = b.div(b.f64(1), b.add(b.f64(1), b.mul(a, b.f64(0.5))));
  return b.mul(expNonPositive(b, b.neg(b.mul(a, a))), b.mul(t, b.estrin(t, ERFC_Q)));
}

export function emitFastErfc(b: VecBuilder): V {
  const x = b.param(0);
  const r = erfcNonNegative(b, b.abs(x));
  // NaN fails x < 0, and r is NaN.
  return b.select(b.lt(x, b.f64(0)), b.sub(b.f64(2), r), r);
}

export function emitFastErf(b: VecBuilder): V {
  const x = b.param(0);
  const a = b.abs(x);
  const small = b.mul(x, b.estrin(b.mul(x, x), ERF_P));
  const large = b.copysign(b.sub(b.f64(1), erfcNonNegative(b, a)), x);
  // NaN fails a < 1/2 and `large` is NaN; ±0 keeps its sign through x·P.
  return b.select(b.lt(a, b.f64(ERF_SPLIT)), small, large);
}
