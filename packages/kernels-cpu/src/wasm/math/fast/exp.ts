/**
 * Fast exp and expm1 over f64x2: x = k·ln2 + r with k = x/ln2 rounded (see `reduce`), |r| ≤ ln2/2, a
 * degree-7 polynomial for e^r (or (e^r − 1)/r), and 2^k built in the exponent field. The
 * polynomials come from `scripts/fit-fast-math.py`: relative error 2^-34.5 (exp) and 2^-37.7
 * (expm1) on the reduced range; r carries an absolute error below 2^-43 (k·ln2 rounded once),
 * so both functions are within about 2^-34 of the exact value, relative, wherever it is a
 * normal double. That is far below float32's 2^-24, which is all the kernels need: they round a
 * float64 result to float32 once.
 *
 * Range: results above e^709 (≈ 8.2e307) become +inf, exp below e^-707.7 (≈ 2e-307) becomes 0
 * (no double subnormals; float32 cannot hold either end), expm1 there is −1. NaN stays NaN,
 * expm1 keeps the sign of a zero.
 */

import type { V, VecBuilder } from "../vec.js";

/** k ≤ 1023 after rounding, so 2^k is a normal double. */
export const EXP_MAX = 709;
/** k ≥ −1021 after rounding. */
export const EXP_MIN = -707.7;

// degree 7 on [-0.346574, 0.346574], max relative error 4.1e-11 (2^-34.5)
const EXP_P = [
  0.9999999999619433, 1.000000000258081, 0.5000000104140361, 0.1666666502415306,
  0.04166622630885732, 0.008333578290889477, 0.0013948134155519832, 0.0001976691883398157,
];
// (e^r − 1)/r: degree 7 on [-0.346574, 0.346574], max relative error 4.55e-12 (2^-37.7)
const EXPM1_P = [
  0.999999999995586, 0.5000000000136023, 0.16666666785152623, 0.041666665847612167,
  0.00833328379562987, 0.0013888995683752176, 0.00019907426625715924, 2.4793293488087096e-5,
];

/** 1.5·2^52: adding it rounds |t| < 2^51 to an integer k and leaves k in the low bits. */
const SHIFTER = 1.5 * 2 ** 52;

/**
 * r = x − k·ln2 and s = 2^k, with k = x/ln2 rounded to an integer, for x in [EXP_MIN, EXP_MAX].
 * t = x·log2(e) + SHIFTER holds k in its low bits (the bits of SHIFTER plus k), and its low 12
 * bits plus 1023, shifted into the exponent field, are 2^k: no float-to-integer conversion
 * (several instructions on x86). Rounding x·log2(e) first may move k by one at a tie, which
 * leaves |r| within the fits' range (ln2/2 with room to spare).
 */
function reduce(b: VecBuilder, x: V): { r: V; s: V } {
  const t = b.add(b.mul(x, b.f64(Math.LOG2E)), b.f64(SHIFTER));
  const k = b.sub(t, b.f64(SHIFTER));
  return { r: b.sub(x, b.mul(k, b.f64(Math.LN2))), s: b.shl(b.iadd(t, b.i64(1023n)), 52) };
}

/** e^x for x in [EXP_MIN, EXP_MAX] (or NaN), no range handling. */
export function expInRange(b: VecBuilder, x: V): V {
  const { r, s } = reduce(b, x);
  return b.mul(b.estrin(r, EXP_P), s);
}

/** e^x − 1 for x in [EXP_MIN, EXP_MAX] (or NaN): 2^k·(e^r − 1) − (1 − 2^k), no cancellation. */
export function expm1InRange(b: VecBuilder, x: V): V {
  const { r, s } = reduce(b, x);
  return b.sub(b.mul(s, b.mul(r, b.estrin(r, EXPM1_P))), b.sub(b.f64(1), s));
}

/** e^x for x ≤ 0 (or NaN): what sigmoid, logaddexp and softmax need. */
export function expNonPositive(b: VecBuilder, x: V): V {
  const y = expInRange(b, b.pmax(x, b.f64(EXP_MIN)));
  return b.andNot(y, b.lt(x, b.f64(EXP_MIN)));
}

export function emitFastExp(b: VecBuilder): V {
  const x = b.param(0);
  const y = expInRange(b, b.pmax(b.pmin(x, b.f64(EXP_MAX)), b.f64(EXP_MIN)));
  const big = b.select(b.gt(x, b.f64(EXP_MAX)), b.f64(Number.POSITIVE_INFINITY), y);
  return b.andNot(big, b.lt(x, b.f64(EXP_MIN)));
}

export function emitFastExpm1(b: VecBuilder): V {
  const x = b.param(0);
  const y = expm1InRange(b, b.pmax(b.pmin(x, b.f64(EXP_MAX)), b.f64(EXP_MIN)));
  const big = b.select(b.gt(x, b.f64(EXP_MAX)), b.f64(Number.POSITIVE_INFINITY), y);
  // r = x − 0·ln2 loses the sign of −0; expm1(±0) is ±0.
  return b.select(b.eq(x, b.f64(0)), x, big);
}
