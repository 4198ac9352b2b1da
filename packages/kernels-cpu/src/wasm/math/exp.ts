/**
 * exp and expm1 over f64x2, transcribing the fdlibm algorithms (e_exp.c, s_expm1.c) that V8
 * ports for Math.exp / Math.expm1 (src/base/ieee754.cc) operation for operation, so that every
 * lane gets Math's bits. Both reduce x = k ln2 + r with the same k and the same split of ln2,
 * evaluate the same polynomials in the same association, and scale by 2^k through the exponent
 * field. Each branch of the scalar code is computed for both lanes and picked with a select;
 * the branches that pick k (|x| <= ln2/2: k = 0; ln2/2 < |x| < 1.5 ln2: k = ±1; otherwise
 * k = trunc(x/ln2 ± 1/2)) become one select on k, which is then shared by every later branch.
 * The word thresholds (fdlibm compares the high 32 bits of |x|) become comparisons of |x| with
 * the double that has that high word.
 */

import { highWord, type V, type VecBuilder } from "./vec.js";

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
/** 1/ln2 (fdlibm's invln2, 0x3FF71547652B82FE). */
const INV_LN2 = Math.LOG2E;
const O_THRESHOLD = 709.782712893384;
const U_THRESHOLD = -745.1332191019411;
/** fdlibm returns this for exp(1) instead of its computed value (one bit off). */
const E = Math.E;

const EXP_P = [
  0.16666666666666602, -0.0027777777777015593, 0.00006613756321437934, -0.0000016533902205465252,
  4.1381367970572385e-8,
];
/** expm1's Q1..Q5, scaled by 2^i for R(2z) with z = x^2/2. */
const EXPM1_Q = [
  -0.03333333333333313, 0.0015873015872548146, -0.0000793650757867488, 0.000004008217827329362,
  -2.0109921818362437e-7,
];

/** |x| > ln2/2 (high word above 0x3FD62E42). */
const REDUCE_FROM = highWord(0x3fd62e43);
/** |x| < 1.5 ln2 (high word below 0x3FF0A2B2). */
const ONE_LN2_BELOW = highWord(0x3ff0a2b2);

/** The reduction shared by exp and expm1: k (as f64 lanes), hi and lo with x = k ln2 + hi - lo. */
function reduce(b: VecBuilder, x: V): { k: V; hi: V; lo: V } {
  const ax = b.abs(x);
  const one = b.f64(1);
  // k = ±1 in the middle range, where (int)(x/ln2 ± 0.5) would also give ±1: the scalar code's
  // separate branch (hi = x ∓ ln2_hi, lo = ±ln2_lo) is the general one with t = ±1, exactly.
  const kMid = b.copysign(one, x);
  const kFar = b.trunc(b.add(b.mul(b.f64(INV_LN2), x), b.copysign(b.f64(0.5), x)));
  const k = b.select(
    b.ge(ax, b.f64(REDUCE_FROM)),
    b.select(b.lt(ax, b.f64(ONE_LN2_BELOW)), kMid, kFar),
    b.f64(0),
  );
  const hi = b.sub(x, b.mul(k, b.f64(LN2_HI)));
  const lo = b.mul(k, b.f64(LN2_LO));
  return { k, hi, lo };
}

/** Math.exp. */
export function emitExp(b: VecBuilder): V {
  const x = b.param(0);
  const one = b.f64(1);
  const { k, hi, lo } = reduce(b, x);
  const r = b.sub(hi, lo);
  const t = b.mul(r, r);
  const c = b.sub(r, b.mul(t, b.horner(t, EXP_P)));
  // y = 1 - ((lo - (r c)/(2 - c)) - hi). fdlibm writes k = 0 as 1 - ((r c)/(c - 2) - r), the
  // same value, so that case needs no separate evaluation: there hi = r = x (nonzero) and
  // lo = +0; c - 2 = -(2 - c) exactly, so (r c)/(c - 2) = -q for q = (r c)/(2 - c); +0 - q = -q
  // (but for q = +0, where either zero minus x gives -x); and scaling by 2^0 below is exact.
  const y = b.sub(one, b.sub(b.sub(lo, b.div(b.mul(r, c), b.sub(b.f64(2), c))), hi));
  // y 2^k: for k < -1021 as y 2^(k+1000) 2^-1000 (one rounding, on the subnormal grid), for
  // k = 1024 as y 2^1023 2 (the scalar code's y 2 2^1023: both products are exact until the last).
  const deep = b.lt(k, b.f64(-1021));
  const top = b.eq(k, b.f64(1024));
  const kScale = b.select(deep, b.add(k, b.f64(1000)), b.select(top, b.f64(1023), k));
  const last = b.select(deep, b.f64(2 ** -1000), b.select(top, b.f64(2), one));
  const scaled = b.mul(b.mul(y, b.pow2(b.toI64(kScale))), last);
  let result = b.select(b.lt(b.abs(x), b.f64(highWord(0x3e300000))), b.add(one, x), scaled);
  result = b.select(b.eq(x, one), b.f64(E), result);
  result = b.select(b.gt(x, b.f64(O_THRESHOLD)), b.f64(Number.POSITIVE_INFINITY), result);
  // NaN needs no select: every path propagates it.
  return b.select(b.lt(x, b.f64(U_THRESHOLD)), b.f64(0), result);
}

/** Math.expm1. */
export function emitExpm1(b: VecBuilder): V {
  const x = b.param(0);
  const one = b.f64(1);
  const { k, hi, lo } = reduce(b, x);
  const r = b.sub(hi, lo);
  const c = b.sub(b.sub(hi, r), lo); // the rounding error of r (unused when k = 0)
  const hfx = b.mul(b.f64(0.5), r);
  const hxs = b.mul(r, hfx);
  const r1 = b.add(one, b.mul(hxs, b.horner(hxs, EXPM1_Q)));
  const t = b.sub(b.f64(3), b.mul(r1, hfx));
  const e = b.mul(hxs, b.div(b.sub(r1, t), b.sub(b.f64(6), b.mul(r, t))));
  const atZero = b.sub(r, b.sub(b.mul(r, e), hxs));

  const e2 = b.sub(b.sub(b.mul(r, b.sub(e, c)), c), hxs);
  const half = b.f64(0.5);
  const atMinusOne = b.sub(b.mul(half, b.sub(r, e2)), half);
  const atOne = b.select(
    b.lt(r, b.f64(-0.25)),
    b.mul(b.f64(-2), b.sub(e2, b.add(r, half))),
    b.add(one, b.mul(b.f64(2), b.sub(r, e2))),
  );
  // 2^k with k <= 1023 (k = 1024 multiplies by 2^1023 and then 2, as exp does).
  const top = b.eq(k, b.f64(1024));
  const twoPk = b.pow2(b.toI64(b.min(k, b.f64(1023))));
  const twoMk = b.pow2(b.isub(b.i64(0n), b.toI64(k))); // 2^-k, used for 2 <= k <= 56
  // k <= -2 or k > 56: 2^k (1 - (e2 - r)) - 1.
  const far = b.sub(
    b.mul(b.mul(b.sub(one, b.sub(e2, r)), twoPk), b.select(top, b.f64(2), one)),
    one,
  );
  // 2 <= k < 20: 2^k ((1 - 2^-k) - (e2 - r)); 20 <= k <= 56: 2^k ((r - (e2 + 2^-k)) + 1).
  const near = b.mul(b.sub(b.sub(one, twoMk), b.sub(e2, r)), twoPk);
  const mid = b.mul(b.add(b.sub(r, b.add(e2, twoMk)), one), twoPk);

  const kIn = (from: number, to: number) => b.and(b.ge(k, b.f64(from)), b.le(k, b.f64(to)));
  let result = b.select(kIn(2, 19), near, b.select(kIn(20, 56), mid, far));
  result = b.select(b.eq(k, one), atOne, result);
  result = b.select(b.eq(k, b.f64(-1)), atMinusOne, result);
  result = b.select(b.eq(k, b.f64(0)), atZero, result);
  const ax = b.abs(x);
  result = b.select(b.lt(ax, b.f64(highWord(0x3c900000))), x, result); // |x| < 2^-54: x
  // x <= -56 ln2 (high word of |x| from 0x4043687A), -inf included: -1.
  result = b.select(
    b.and(b.lt(x, b.f64(0)), b.ge(ax, b.f64(highWord(0x4043687a)))),
    b.f64(-1),
    result,
  );
  return b.select(b.gt(x, b.f64(O_THRESHOLD)), b.f64(Number.POSITIVE_INFINITY), result);
}
