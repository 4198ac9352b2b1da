/**
 * log and log1p over f64x2, transcribing the fdlibm algorithms (e_log.c, s_log1p.c) of V8's
 * Math.log / Math.log1p (src/base/ieee754.cc, as in Node 20) operation for operation. The
 * argument is split as 2^k (1 + f) with the same integer steps on the high word (done here on
 * i64 lanes of the raw bits), the same polynomial and the same association of the final sum for
 * each of the scalar code's branches; the branches are computed for both lanes and selected.
 */

import { highWord, type V, type VecBuilder } from "./vec.js";

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const TWO54 = 18014398509481984;
/** Lg1..Lg7 (log) = Lp1..Lp7 (log1p). */
const LG = [
  0.6666666666666735, 0.3999999999940942, 0.2857142874366239, 0.22222198432149784,
  0.1818357216161805, 0.15313837699209373, 0.14798198605116586,
];
const [LG1, LG2, LG3, LG4, LG5, LG6, LG7] = LG as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * k ln2_hi - ((a - (k ln2_lo + c)) - f) or, when k = 0, f - a: the scalar code's two ways of
 * adding k ln2 to log(1 + f) = f - a. (c is log1p's correction term; log passes none.)
 */
function combine(b: VecBuilder, kZero: V, k: V, f: V, a: V, lo: V): V {
  const withK = b.sub(b.mul(k, b.f64(LN2_HI)), b.sub(b.sub(a, lo), f));
  return b.select(kZero, b.sub(f, a), withK);
}

/** Math.log. */
export function emitLog(b: VecBuilder): V {
  const x = b.param(0);
  const half = b.f64(0.5);
  // Subnormals are scaled by 2^54 first (k starts at -54).
  const tiny = b.lt(x, b.f64(2 ** -1022));
  const xs = b.select(tiny, b.mul(x, b.f64(TWO54)), x);
  let k = b.select(tiny, b.i64(-54n), b.i64(0n));
  const hx = b.shrU(xs, 32);
  k = b.iadd(k, b.isub(b.shrU(hx, 20), b.i64(1023n)));
  const m = b.and(hx, b.i64(0xfffffn));
  // i: the 2^20 bit when the mantissa is above sqrt(2), then 1 + f is normalised to x/2.
  const i = b.and(b.iadd(m, b.i64(0x95f64n)), b.i64(0x100000n));
  const xn = b.setHighWord(xs, b.or(m, b.xor(i, b.i64(0x3ff00000n))));
  k = b.iadd(k, b.shrU(i, 20));
  const f = b.sub(xn, b.f64(1));
  const dk = b.toF64(k);
  const kZero = b.ieq(k, b.i64(0n));
  const dkLo = b.mul(dk, b.f64(LN2_LO));

  // |f| < 2^-20 (mantissa within 2 of a power of two).
  const small = b.ilt(b.and(b.iadd(m, b.i64(2n)), b.i64(0xfffffn)), b.i64(3n));
  const exact = b.select(kZero, b.f64(0), b.add(b.mul(dk, b.f64(LN2_HI)), dkLo));
  const rs = b.mul(b.mul(f, f), b.sub(half, b.mul(b.f64(0.3333333333333333), f)));
  const atSmall = b.select(b.eq(f, b.f64(0)), exact, combine(b, kZero, dk, f, rs, dkLo));

  const s = b.div(f, b.add(b.f64(2), f));
  const z = b.mul(s, s);
  const w = b.mul(z, z);
  const t1 = b.mul(w, b.horner(w, [LG2, LG4, LG6]));
  const t2 = b.mul(z, b.horner(w, [LG1, LG3, LG5, LG7]));
  const r = b.add(t2, t1);
  // (m - 0x6147a) | (0x6b851 - m) > 0: f is large, use the more accurate hfsq form.
  const wide = b.igt(b.or(b.isub(m, b.i64(0x6147an)), b.isub(b.i64(0x6b851n), m)), b.i64(0n));
  const hfsq = b.mul(b.mul(half, f), f);
  const aWide = b.sub(hfsq, b.mul(s, b.add(hfsq, r)));
  // Written out: the k != 0 form is dk ln2_hi - ((hfsq - (s (hfsq + R) + dk ln2_lo)) - f).
  const wideK = b.sub(
    b.mul(dk, b.f64(LN2_HI)),
    b.sub(b.sub(hfsq, b.add(b.mul(s, b.add(hfsq, r)), dkLo)), f),
  );
  const atWide = b.select(kZero, b.sub(f, aWide), wideK);
  const sfr = b.mul(s, b.sub(f, r));
  const atNarrow = combine(b, kZero, dk, f, sfr, dkLo);
  let result = b.select(small, atSmall, b.select(wide, atWide, atNarrow));

  result = b.select(b.eq(x, b.f64(Number.POSITIVE_INFINITY)), x, result);
  result = b.select(b.lt(x, b.f64(0)), b.f64(Number.NaN), result);
  result = b.select(b.eq(x, b.f64(0)), b.f64(Number.NEGATIVE_INFINITY), result);
  return b.select(b.ne(x, x), x, result);
}

/** Math.log1p. */
export function emitLog1p(b: VecBuilder): V {
  const x = b.param(0);
  const one = b.f64(1);
  const zero = b.f64(0);
  const ax = b.abs(x);

  // -0.2929 < x < 0.41422 (by high words): k = 0 and f = x, no correction term.
  const direct = b.and(b.lt(x, b.f64(highWord(0x3fda827a))), b.gt(x, b.f64(-highWord(0x3fd2bec5))));

  // Otherwise 1 + x = 2^k u, with c the rounding error of 1 + x relative to u (x < 2^53).
  const huge = b.ge(x, b.f64(2 ** 53));
  const u = b.select(huge, x, b.add(one, x));
  const hu = b.shrU(u, 32);
  const k0 = b.isub(b.shrU(hu, 20), b.i64(1023n));
  const c0 = b.div(
    b.select(b.igt(k0, b.i64(0n)), b.sub(one, b.sub(u, x)), b.sub(x, b.sub(u, one))),
    u,
  );
  const c = b.select(huge, zero, c0);
  const m = b.and(hu, b.i64(0xfffffn));
  const low = b.ilt(m, b.i64(0x6a09en)); // u's mantissa below sqrt(2)
  const un = b.select(
    low,
    b.setHighWord(u, b.or(m, b.i64(0x3ff00000n))),
    b.setHighWord(u, b.or(m, b.i64(0x3fe00000n))),
  );
  const k1 = b.select(low, k0, b.iadd(k0, b.i64(1n)));
  const hu1 = b.select(low, m, b.shrU(b.isub(b.i64(0x100000n), m), 2));

  const f = b.select(direct, x, b.sub(un, one));
  const k = b.select(direct, zero, b.toF64(k1));
  const kZero = b.eq(k, zero);
  const huZero = b.andNot(b.ieq(hu1, b.i64(0n)), direct);
  const hfsq = b.mul(b.mul(b.f64(0.5), f), f);
  const lo = b.add(b.mul(k, b.f64(LN2_LO)), c);

  // |f| < 2^-20.
  const exact = b.select(kZero, zero, b.add(b.mul(k, b.f64(LN2_HI)), lo));
  const rs = b.mul(hfsq, b.sub(one, b.mul(b.f64(0.6666666666666666), f)));
  const atSmall = b.select(b.eq(f, zero), exact, combine(b, kZero, k, f, rs, lo));

  const s = b.div(f, b.add(b.f64(2), f));
  const z = b.mul(s, s);
  const r = b.mul(z, b.horner(z, LG));
  const a = b.sub(hfsq, b.mul(s, b.add(hfsq, r)));
  // The k != 0 form: k ln2_hi - ((hfsq - (s (hfsq + R) + (k ln2_lo + c))) - f).
  const withK = b.sub(
    b.mul(k, b.f64(LN2_HI)),
    b.sub(b.sub(hfsq, b.add(b.mul(s, b.add(hfsq, r)), lo)), f),
  );
  let result = b.select(huZero, atSmall, b.select(kZero, b.sub(f, a), withK));

  // |x| < 2^-29: x - x^2/2, or x itself below 2^-54.
  const quad = b.sub(x, b.mul(b.mul(x, x), b.f64(0.5)));
  result = b.select(
    b.lt(ax, b.f64(highWord(0x3e200000))),
    b.select(b.lt(ax, b.f64(highWord(0x3c900000))), x, quad),
    result,
  );
  result = b.select(b.le(x, b.f64(-1)), b.f64(Number.NaN), result);
  result = b.select(b.eq(x, b.f64(-1)), b.f64(Number.NEGATIVE_INFINITY), result);
  result = b.select(b.eq(x, b.f64(Number.POSITIVE_INFINITY)), x, result);
  return b.select(b.ne(x, x), x, result);
}
