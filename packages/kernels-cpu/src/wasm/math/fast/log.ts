/**
 * Fast log and log1p over f64x2: w = 2^k·m with m in [√½, √2) (k from the exponent field),
 * log m = 2s + s·z·R(z) with s = (m − 1)/(m + 1), z = s², R a degree-4 polynomial from
 * `scripts/fit-fast-math.py` (relative error 2^-36.4, which z·R/2 ≤ 1% scales down further).
 * m − 1 is exact (Sterbenz), so the result is within a few 2^-53 of the exact value, relative,
 * plus the polynomial's share: about 2^-40 in all. log1p adds the rounding error of 1 + u back
 * as c/w (log(w + c) = log w + c/w to first order), so tiny arguments keep full accuracy.
 */

import type { V, VecBuilder } from "../vec.js";

// degree 4 on [0, 0.0294373], max relative error 1.07e-11 (2^-36.4)
const LOG_R = [
  0.6666666666737334, 0.3999999879924827, 0.28571754210676004, 0.22191418530656976,
  0.19362352834873625,
];

/** The bits of √½: subtracting them puts k in the exponent field's place. */
const SQRT_HALF_BITS = 0x3fe6a09e667f3bcdn;
const SMALLEST_NORMAL = 2 ** -1022;

/** log m for m in [√½, √2], given f = m − 1 (exact) plus any correction already added. */
function logNearOne(b: VecBuilder, f: V): V {
  const s = b.div(f, b.add(b.f64(2), f));
  const z = b.mul(s, s);
  return b.mul(s, b.add(b.f64(2), b.mul(z, b.estrin(z, LOG_R))));
}

/** k·ln2 + log m for a positive normal finite w (k as f64 lanes). */
function logPositive(b: VecBuilder, w: V): { k: V; logm: V; m: V } {
  const t = b.isub(w, b.i64(SQRT_HALF_BITS));
  const kBits = b.shrS(t, 52);
  const m = b.isub(w, b.shl(kBits, 52));
  const k = b.toF64(kBits);
  return { k, m, logm: logNearOne(b, b.sub(m, b.f64(1))) };
}

/**
 * Special values shared by log(x) and log1p(x − 1): 0 → −inf, below → NaN, +inf → +inf, NaN
 * (whose bits would otherwise decode as some finite m) → NaN.
 */
function specials(b: VecBuilder, arg: V, zeroAt: number, y: V): V {
  const invalid = b.or(b.lt(arg, b.f64(zeroAt)), b.ne(arg, arg));
  const atZero = b.select(
    b.eq(arg, b.f64(zeroAt)),
    b.f64(Number.NEGATIVE_INFINITY),
    b.select(invalid, b.f64(Number.NaN), y),
  );
  return b.select(b.eq(arg, b.f64(Number.POSITIVE_INFINITY)), arg, atZero);
}

export function emitFastLog(b: VecBuilder): V {
  const x = b.param(0);
  // Double subnormals are scaled into the normal range first.
  const tiny = b.lt(x, b.f64(SMALLEST_NORMAL));
  const w = b.select(tiny, b.mul(x, b.f64(2 ** 54)), x);
  const { k, logm } = logPositive(b, w);
  const kk = b.sub(k, b.and(tiny, b.f64(54)));
  return specials(b, x, 0, b.add(b.mul(kk, b.f64(Math.LN2)), logm));
}

export function emitFastLog1p(b: VecBuilder): V {
  const u = b.param(0);
  const w = b.add(b.f64(1), u);
  // What 1 + u lost to rounding (exact, and 0 once |u| ≥ 2^53).
  const c = b.sub(u, b.sub(w, b.f64(1)));
  const { k, logm } = logPositive(b, b.pmax(w, b.f64(SMALLEST_NORMAL)));
  const y = b.add(b.mul(k, b.f64(Math.LN2)), b.add(logm, b.div(c, w)));
  // log1p(±0) = ±0 (the sum above gives +0).
  return b.select(b.eq(u, b.f64(0)), u, specials(b, u, -1, y));
}

/**
 * log1p(y) for y in [0, 1] (or NaN), as logaddexp needs it: 1 + y is in [1, 2], so k is 0 or 1
 * and m is 1 + y or (1 + y)/2, and the rounding error c of 1 + y is folded into m − 1 (c·2^-k
 * added to an exact f) instead of being divided by w.
 */
export function log1pUnit(b: VecBuilder, y: V): V {
  const w = b.add(b.f64(1), y);
  const c = b.sub(y, b.sub(w, b.f64(1)));
  const halve = b.gt(w, b.f64(Math.SQRT2));
  const half = b.f64(0.5);
  const m = b.select(halve, b.mul(w, half), w);
  const f = b.add(b.sub(m, b.f64(1)), b.select(halve, b.mul(c, half), c));
  return b.add(b.and(halve, b.f64(Math.LN2)), logNearOne(b, f));
}
