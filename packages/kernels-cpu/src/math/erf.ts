/**
 * erf and erfc in float64.
 *
 * Method: the classic fdlibm (Sun, 1993) piecewise scheme with its published minimax
 * coefficients -- x + x*R(x^2) on |x| < 0.84375, erx + P(s)/Q(s) with s = |x| - 1 on
 * [0.84375, 1.25), and erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2)/S(1/x^2)) / x beyond -- because
 * its rational approximations are accurate to 2^-57..2^-62 and its branch boundaries avoid bad
 * cancellation in erf. The textbook evaluation loses up to a few ulp in erfc, though (1 - x - x*R
 * and (1 - erx) - P/Q cancel to results near 0.08..0.24, and the tail multiplies two rounded
 * exponentials with a rounded 1/x^2), so erfc is evaluated more carefully: on [0.25, 1.25) the
 * rational function comes from compensated Horner with a double-double quotient and the result
 * is assembled in double-double; in the tail x^2 and 1/x^2 are carried exactly (the rounding of
 * 1/x^2 is corrected through the derivative of R/S), the exponential is a double-double (dd.ts),
 * the division by x is compensated, and subnormal results are rounded once, on the subnormal
 * grid. erfc therefore keeps full relative accuracy until it underflows (x ~ 27.23). erf needs
 * none of that (its result is near 1 wherever erfc is small), so it keeps the cheap plain-double
 * evaluation; the measured error stays below 0.8 ulp for both.
 */

import { dd, expDD, ratioDD, scaleRound, twoProd, twoSum } from "./dd.js";

/** (float)0.84506291151: erf(1) rounded to 24 bits, so that 1 + ERX and 1 - ERX are exact. */
export const ERX = 0.8450629115104675;
/** 2/sqrt(pi) - 1, rounded. */
export const EFX = 0.1283791670955126;
/** 2/sqrt(pi) - 1 - EFX. */
export const EFX_LO = -1.2420116002463032e-17;
/** 2/(3 sqrt(pi)): erf(x) = (2/sqrt(pi)) (x - x^3/3 + ...). */
export const C3 = 0.37612638903183754;

// erf on [0, 0.84375]: (erf(x) - x)/x = P(z)/Q(z), z = x^2.
const PP0 = 0.12837916709551256;
const PP1 = -0.3250421072470015;
const PP2 = -0.02848174957559851;
const PP3 = -0.005770270296489442;
const PP4 = -2.3763016656650163e-5;
const QQ1 = 0.39791722395915535;
const QQ2 = 0.0650222499887673;
const QQ3 = 0.005081306281875766;
const QQ4 = 0.00013249473800432164;
const QQ5 = -3.960228278775368e-6;

// erf on [0.84375, 1.25]: erf(1 + s) - ERX = P(s)/Q(s).
const PA0 = -0.0023621185607526594;
const PA1 = 0.41485611868374833;
const PA2 = -0.3722078760357013;
const PA3 = 0.31834661990116175;
const PA4 = -0.11089469428239668;
const PA5 = 0.035478304325618236;
const PA6 = -0.002166375594868791;
const QA1 = 0.10642088040084423;
const QA2 = 0.540397917702171;
const QA3 = 0.07182865441419627;
const QA4 = 0.12617121980876164;
const QA5 = 0.01363708391202905;
const QA6 = 0.011984499846799107;

// erfc on [1.25, 1/0.35]: log(x*erfc(x)) + x^2 + 0.5625 = R(s)/S(s), s = 1/x^2.
const RA0 = -0.009864944034847148;
const RA1 = -0.6938585727071818;
const RA2 = -10.558626225323291;
const RA3 = -62.375332450326006;
const RA4 = -162.39666946257347;
const RA5 = -184.60509290671104;
const RA6 = -81.2874355063066;
const RA7 = -9.814329344169145;
const SA1 = 19.651271667439257;
const SA2 = 137.65775414351904;
const SA3 = 434.56587747522923;
const SA4 = 645.3872717332679;
const SA5 = 429.00814002756783;
const SA6 = 108.63500554177944;
const SA7 = 6.570249770319282;
const SA8 = -0.0604244152148581;

// erfc on [1/0.35, 28]: same form.
const RB0 = -0.0098649429247001;
const RB1 = -0.799283237680523;
const RB2 = -17.757954917754752;
const RB3 = -160.63638485582192;
const RB4 = -637.5664433683896;
const RB5 = -1025.0951316110772;
const RB6 = -483.5191916086514;
const SB1 = 30.33806074348246;
const SB2 = 325.7925129965739;
const SB3 = 1536.729586084437;
const SB4 = 3199.8582195085955;
const SB5 = 2553.0504064331644;
const SB6 = 474.52854120695537;
const SB7 = -22.44095244658582;

/** Boundary between the two tail approximations: 1/0.35. */
export const TAIL_SPLIT = 2.857142857142857;

/** (erf(x) - x) / x for |x| < 0.84375, as a function of z = x^2. @internal */
export function erfSmallRatio(z: number): number {
  const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const s = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return r / s;
}

/** erf(1 + s) - ERX for s in [-0.15625, 0.25). @internal */
export function erfMidRatio(s: number): number {
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** R/S at s = 1/x^2 (x >= 1.25), rounded-argument version for the cheap erf path. */
function tailRatio(x: number, s: number): number {
  if (x < TAIL_SPLIT) {
    const r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    const q =
      1 +
      s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    return r / q;
  }
  const r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
  const q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  return r / q;
}

// The same coefficients, highest degree first, for the compensated evaluations (ratioDD)
// and the vector port (src/wasm/math/erf.ts), which reads every coefficient from here.
export const SMALL_P = Float64Array.of(PP4, PP3, PP2, PP1, PP0);
export const SMALL_Q = Float64Array.of(QQ5, QQ4, QQ3, QQ2, QQ1, 1);
export const MID_P = Float64Array.of(PA6, PA5, PA4, PA3, PA2, PA1, PA0);
export const MID_Q = Float64Array.of(QA6, QA5, QA4, QA3, QA2, QA1, 1);
export const TAIL_A_R = Float64Array.of(RA7, RA6, RA5, RA4, RA3, RA2, RA1, RA0);
export const TAIL_A_S = Float64Array.of(SA8, SA7, SA6, SA5, SA4, SA3, SA2, SA1, 1);
export const TAIL_B_R = Float64Array.of(RB6, RB5, RB4, RB3, RB2, RB1, RB0);
export const TAIL_B_S = Float64Array.of(SB7, SB6, SB5, SB4, SB3, SB2, SB1, 1);

/** (erf(x) - x)/x for |x| < 0.84375 at z + dz = x^2, as a double-double in (dd[0] as number) + (dd[1] as number). @internal */
export function erfSmallRatioDD(z: number, dz: number): void {
  ratioDD(SMALL_P, SMALL_Q, z, dz);
}

/** erf(1 + s) - ERX for s in [-0.15625, 0.25), as a double-double in (dd[0] as number) + (dd[1] as number). @internal */
export function erfMidRatioDD(s: number): void {
  ratioDD(MID_P, MID_Q, s, 0);
}

/** Cheap erfc for x in [1.25, 6): absolute error far below ulp(1); used by erf only. */
function erfcTailCheap(x: number): number {
  twoProd(x, x);
  const ph = dd[0] as number;
  const pl = dd[1] as number;
  const g = tailRatio(x, 1 / ph);
  return Math.exp(-ph + (-0.5625 + g - pl)) / x;
}

/**
 * erfc(x) for 1.25 <= x < 28 with full relative accuracy (result correctly rounded up to a small
 * fraction of an ulp), including subnormal results. @internal
 */
export function erfcTail(x: number): number {
  twoProd(x, x);
  const ph = dd[0] as number;
  const pl = dd[1] as number;
  // s + ds = 1 / (ph + pl)
  const s = 1 / ph;
  twoProd(s, ph);
  const ds = s * (1 - (dd[0] as number) - (dd[1] as number) - s * pl);
  if (x < TAIL_SPLIT) ratioDD(TAIL_A_R, TAIL_A_S, s, ds);
  else ratioDD(TAIL_B_R, TAIL_B_S, s, ds);
  const g = dd[0] as number;
  const gl = dd[1] as number;
  // E = -x^2 - 0.5625 + g as a double-double (|ph| >= 1.5625 > |c|)
  const c = -0.5625 + g;
  const cl = g - (c + 0.5625) + gl; // g - (c + 0.5625) is exact: c + 0.5625 is exact (Sterbenz)
  const eh = -ph + c;
  const el = -ph - eh + c + (cl - pl);
  expDD(eh, el);
  // ((dd[3] as number) + (dd[4] as number)) / x, compensated
  const q1 = (dd[3] as number) / x;
  twoProd(q1, x);
  const q2 = ((dd[3] as number) - (dd[0] as number) - (dd[1] as number) + (dd[4] as number)) / x;
  const h = q1 + q2;
  return scaleRound(h, q2 - (h - q1), dd[2] as number);
}

/** The error function, erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 3.725290298461914e-9) {
      // |x| < 2^-28: erf(x) = x + x (EFX - C3 x^2), with EFX as a double-double so that the
      // result rounds once (the x^5 term is below 2^-110 relatively)
      // scale tiny x up so that nothing is lost to underflow; round once on the way down
      const xs = a < 1e-300 ? x * 2 ** 1000 : x;
      twoProd(xs, EFX);
      const pl = (dd[1] as number) + xs * (EFX_LO - C3 * (x * x));
      twoSum(xs, dd[0] as number);
      const h = dd[0] as number;
      const l = (dd[1] as number) + pl;
      return a < 1e-300 ? scaleRound(h, l, -1000) : h + l;
    }
    return x + x * erfSmallRatio(x * x);
  }
  if (a < 1.25) {
    const v = ERX + erfMidRatio(a - 1);
    return x < 0 ? -v : v;
  }
  if (a >= 6) return x < 0 ? -1 : 1;
  const v = 1 - erfcTailCheap(a);
  return x < 0 ? -v : v;
}

/** The complementary error function, erfc(x) = 1 - erf(x), accurate in relative terms. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 1.3877787807814457e-17) return 1 - x; // |x| < 2^-56
    if (x < 0.25) {
      // 1 - x exactly as a double-double, then one rounding; x*y is small enough here (or the
      // result large enough, for x < 0) that its own rounding does not matter.
      const xy = x * erfSmallRatio(x * x);
      twoSum(1, -x);
      return (dd[0] as number) + ((dd[1] as number) - xy);
    }
    // 1 - x - x*y would lose up to an ulp in each rounding here (the result can be as small as
    // 0.23): form it in double-double with y = (erf(x) - x)/x from the compensated evaluation.
    twoProd(x, x);
    erfSmallRatioDD(dd[0] as number, dd[1] as number);
    const yl = dd[1] as number;
    twoProd(x, dd[0] as number);
    const ph = dd[0] as number;
    const pl = (dd[1] as number) + x * yl;
    twoSum(1, -x);
    const h = dd[0] as number;
    const l = dd[1] as number;
    twoSum(h, -ph);
    return (dd[0] as number) + ((dd[1] as number) + l - pl);
  }
  if (a < 1.25) {
    if (x < 0) return 1 + ERX + erfMidRatio(a - 1); // 1 + ERX is exact; result in (1.77, 1.93)
    // (1 - ERX) - P/Q loses up to 2 ulp when P/Q is rounded: use the compensated ratio.
    erfMidRatioDD(x - 1);
    const rl = dd[1] as number;
    twoSum(1 - ERX, -(dd[0] as number));
    return (dd[0] as number) + ((dd[1] as number) - rl);
  }
  if (x > 0) {
    if (x >= 28) return 0;
    return erfcTail(x);
  }
  if (a >= 6) return 2;
  return 2 - erfcTail(a);
}
