/**
 * Double-double helpers shared by the special functions (internal, not re-exported).
 *
 * JavaScript has no fused multiply-add, so the exact product of two doubles is obtained with
 * Veltkamp splitting and Dekker's two-product; sums use Knuth's branch-free two-sum. Results that
 * need a high and a low part are written to the shared result registers `dd` (read them right
 * after the call) so that the hot paths never allocate. The exponential kernel
 * `expDD` evaluates exp(hi + lo) as 2^dd[2] * (dd[3] + dd[4]) with a relative error near 2^-68,
 * using a 64-entry table of 2^(j/64) in double-double that is built at load time from six
 * double-double square roots of 2 (no opaque constants), then a degree-7 Taylor polynomial on
 * |r| <= ln2/128. It is what lets erfc keep full relative accuracy down to the subnormal range.
 */

/** Veltkamp's splitter, 2^27 + 1. (Exported, like the expDD constants, for the vector port.) */
export const SPLITTER = 134217729;

/**
 * Result registers, read right after the call that fills them: dd[0] + dd[1] is the last
 * two-product / two-sum / double-double result, and dd[3] + dd[4] scaled by 2^dd[2] the last
 * `expDD` result. (A typed array rather than exported `let` bindings: V8 writes module-level
 * `let`s an order of magnitude slower.)
 */
export const dd = new Float64Array(5);

/** Exact product a*b = dd[0] + dd[1] (|a|, |b| well inside the finite range). */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  dd[0] = p;
  dd[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Exact sum a+b = dd[0] + dd[1]. */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  dd[0] = s;
  dd[1] = a - (s - bb) + (b - bb);
}

/** (ah+al)*(bh+bl) as a normalised double-double. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const ph = dd[0] as number;
  const pl = (dd[1] as number) + (ah * bl + al * bh);
  const s = ph + pl;
  dd[0] = s;
  dd[1] = pl - (s - ph);
}

/** sqrt(ah+al) as a normalised double-double (ah > 0). */
function ddSqrt(ah: number, al: number): void {
  const s = Math.sqrt(ah);
  twoProd(s, s);
  const r = (ah - (dd[0] as number) - (dd[1] as number) + al) / (2 * s);
  const h = s + r;
  dd[0] = h;
  dd[1] = r - (h - s);
}

/** 2^k for integer k in [-1074, 1023]; exact (built by doubling from the smallest subnormal). */
const POW2 = new Float64Array(2098);
{
  let v = 2 ** -1074;
  for (let i = 0; i < POW2.length; i++) {
    POW2[i] = v;
    v *= 2;
  }
}

/** Exact 2^k for integer k in [-1074, 1023] (0 below, Infinity above). */
export function pow2(k: number): number {
  if (k < -1074) return 0;
  if (k > 1023) return Number.POSITIVE_INFINITY;
  return POW2[k + 1074] as number;
}

/** 2^(j/64) = TAB_HI[j] + TAB_LO[j], j = 0..63. */
export const TAB_HI = new Float64Array(64);
export const TAB_LO = new Float64Array(64);
{
  // c = 2^(1/64) from six nested double-double square roots of 2, then its powers.
  let ch = 2;
  let cl = 0;
  for (let i = 0; i < 6; i++) {
    ddSqrt(ch, cl);
    ch = dd[0] as number;
    cl = dd[1] as number;
  }
  let th = 1;
  let tl = 0;
  for (let j = 0; j < 64; j++) {
    TAB_HI[j] = th;
    TAB_LO[j] = tl;
    ddMul(th, tl, ch, cl);
    th = dd[0] as number;
    tl = dd[1] as number;
  }
}

export const INV_LN2_64 = 64 / Math.LN2;
// ln2/64 split so that K * LN2_64_HI is exact for |K| < 2^20 (the high part has 32 bits).
export const LN2_64_HI = 0.6931471803691238 / 64;
export const LN2_64_LO = 1.9082149292705877e-10 / 64;

/**
 * exp(eh + el) = 2^dd[2] * (dd[3] + dd[4]) for |eh| < 750 with |el| <= ulp(eh), relative error
 * about 2^-68.
 */
export function expDD(eh: number, el: number): void {
  const kk = Math.round(eh * INV_LN2_64);
  const t = eh - kk * LN2_64_HI; // exact (Sterbenz, and kk * LN2_64_HI is exact)
  const p = kk * LN2_64_LO;
  twoSum(t, -p);
  const rh = dd[0] as number;
  const rl = (dd[1] as number) + el;
  const j = kk & 63;
  dd[2] = (kk - j) / 64;
  const th = TAB_HI[j] as number;
  const tl = TAB_LO[j] as number;
  // exp(rh + rl) - 1 = rh + v, with |rh| <= ln2/128 + tiny
  const q =
    rh *
    rh *
    (0.5 + rh * (1 / 6 + rh * (1 / 24 + rh * (1 / 120 + rh * (1 / 720 + rh * (1 / 5040))))));
  const v = q + rl + rl * rh;
  twoProd(th, rh);
  const ph = dd[0] as number;
  const pl = dd[1] as number;
  const sh = th + ph; // |th| >= 1 > |ph|
  const sl = ph - (sh - th);
  const lo = sl + pl + th * v + tl + tl * (rh + v);
  const hi = sh + lo;
  dd[3] = hi;
  dd[4] = lo - (hi - sh);
}

/**
 * Correctly rounded (h + l) * 2^k for a double-double h + l (|l| <= ulp(h)) whose scaled value
 * may be subnormal: the low part decides the final rounding on the subnormal grid, so there is
 * no double rounding. Requires k <= 1023, |h| * 2^(k + 1000) >= 2^-1022 and a finite result.
 */
export function scaleRound(h: number, l: number, k: number): number {
  if (h < 0) return -scaleRound(-h, -l, k);
  if (k >= -960 && h >= 2 ** -60) return (h + l) * pow2(k); // the result is normal
  const s1 = pow2(k + 1000); // normal by the precondition
  const a = h * s1; // exact
  const al = l * s1;
  const b = a * 2 ** -1000;
  if (b >= 2 ** -1022) return (a + al) * 2 ** -1000;
  const back = b * 2 ** 1000; // exact
  const d = a - back + al; // a - back is exact: both lie on the 2^-74 grid, and are close
  if (d > 2 ** -75) return b + 2 ** -1074;
  if (d < -(2 ** -75)) return b - 2 ** -1074;
  return b;
}

/**
 * P(t + dt) / Q(t + dt) to about 2^-100 relative (plus the conditioning of P and Q), written to
 * dd[0] + dd[1]. `p` and `q` hold the coefficients from the highest degree down to the constant
 * term. P and Q are evaluated with compensated Horner (Graillat, Langlois & Louvet 2005; the
 * two-product and two-sum are written out inline, which V8 runs several times faster), the tiny
 * argument tail dt with a first-order correction through the derivatives (plain Horner), and the
 * quotient is a compensated double-double division.
 */
export function ratioDD(p: Float64Array, q: Float64Array, t: number, dt: number): void {
  let u = SPLITTER * t;
  const th = u - (u - t);
  const tl = t - th;
  let ph = 0;
  let pl = 0;
  for (let k = 0; k < 2; k++) {
    const c = k === 0 ? p : q;
    let s = c[0] as number;
    let e = 0; // running error term of the compensated Horner scheme
    let d = 0; // plain Horner derivative
    for (let i = 1; i < c.length; i++) {
      d = d * t + s;
      // two-product s*t = pr + pe
      const pr = s * t;
      u = SPLITTER * s;
      const sh = u - (u - s);
      const sl = s - sh;
      const pe = sh * th - pr + sh * tl + sl * th + sl * tl;
      // two-sum pr + c[i] = sum + se
      const a = c[i] as number;
      const sum = pr + a;
      const bb = sum - pr;
      const se = pr - (sum - bb) + (a - bb);
      s = sum;
      e = e * t + (pe + se);
    }
    if (k === 0) {
      ph = s;
      pl = e + dt * d;
    } else {
      const qh = s;
      const ql = e + dt * d;
      const q1 = ph / qh;
      twoProd(q1, qh);
      const q2 = (ph - (dd[0] as number) - (dd[1] as number) + pl - q1 * ql) / qh;
      const h = q1 + q2;
      dd[0] = h;
      dd[1] = q2 - (h - q1);
    }
  }
}
