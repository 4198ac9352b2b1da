import { f32, horner, snippet } from "./snippet.js";

const LN2 = Math.LN2;
/** ln 2 to 15 bits (0x3f317200): k · LN2_HI is exact for |k| < 256. */
const LN2_HI = 0.693145751953125;
const LN2_LO = LN2 - LN2_HI;

/** Taylor coefficients of (e^r - 1 - r - r²/2) / r³ = 1/3! + r/4! + ... + r^5/8!, highest first. */
const EXP_TAIL = [1 / 40320, 1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6];

/**
 * exp(h + l) = (m.x + m.y) · 2^k with m in [0.7, 1.42] as a pair (about 2^-31 relative error),
 * for |h| <= 170 and |l| <= half an ulp of h. Cody–Waite reduction r = h - k·ln2 with ln2 split
 * in two (r exact as a pair), then e^r = 1 + r + r²/2 + r³·P(r) with the degree-8 Taylor
 * polynomial (|r| <= 0.347, truncation 2^-34), 1 + r and r² as exact pairs; l, the argument's
 * own low part (up to 4e-6 for a rounded x² near 100), enters as e^r·l. The result is rounded
 * once when the caller scales it (nk_scale_pair), which also makes overflow and gradual
 * underflow to subnormals exact (by bits, whatever the hardware does with subnormals).
 */
export const EXP_CORE = snippet(
  "exp_core",
  ["df"],
  `
struct NkExp { m: vec2<f32>, k: i32 }
fn nk_exp_core(h: f32, l: f32) -> NkExp {
  let kf = round(h * ${f32(1 / LN2)});
  let r1 = h - kf * ${f32(LN2_HI)};
  let rs = df_two_sum(r1, -(kf * ${f32(LN2_LO)}));
  let r = rs.x;
  let rl = rs.y + l;
  let one = df_two_sum(nk_c(1.0), r);
  let r2 = df_two_prod(r, r);
  let tail = r2.x * (r * (${horner(EXP_TAIL, "r")}));
  let a = df_two_sum(one.x, 0.5 * r2.x);
  let er = a.x + (a.y + one.y + tail);
  return NkExp(df_fast(a.x, a.y + one.y + (0.5 * r2.y + tail + rl * er)), i32(kf));
}
// m · 2^k as a pair, subnormal and infinite results included. A subnormal result is rounded
// from m.x alone: m.y is not accurate enough to break ties (pow(2, -150) must tie to 0).
fn nk_scale_pair(m: vec2<f32>, k: i32) -> vec2<f32> {
  let h = nk_ldexp(m.x, k);
  if ((nk_b(h) & 0x7f800000u) == 0u || !nk_finite(h)) { return vec2<f32>(h, 0.0); }
  return vec2<f32>(h, nk_ldexp(m.y, k));
}
`,
);

/** exp: overflow above 88.7228 (to +inf), gradual underflow to subnormals, 0 below -103.97. */
export const EXP = snippet(
  "exp",
  ["exp_core"],
  `
fn df_exp(x: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(x.x)) { return vec2<f32>(x.x, 0.0); }
  if (x.x > 89.0) { return vec2<f32>(nk_inf(), 0.0); }
  if (x.x < -104.0) { return vec2<f32>(0.0, 0.0); }
  let c = nk_exp_core(x.x, x.y);
  return nk_scale_pair(c.m, c.k);
}
`,
);

/**
 * expm1(x) = m·2^k - 1 computed as a pair (one rounding, no cancellation: for k = 0 the sum
 * 1 + r + ... minus 1 is exact); |x| < 2^-25 returns x (±0 and subnormals exactly); -1 below -30.
 */
export const EXPM1 = snippet(
  "expm1",
  ["exp_core"],
  `
fn df_expm1(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax < 0x33000000u || ax > 0x7f800000u) { return x; }
  if (x.x > 89.0) { return vec2<f32>(nk_inf(), 0.0); }
  if (x.x < -30.0) { return vec2<f32>(-1.0, 0.0); }
  let c = nk_exp_core(x.x, x.y);
  if (c.k > 60) { return nk_scale_pair(c.m, c.k); }
  return df_addf(df_scale(c.m, c.k), vec2<f32>(nk_c(-1.0), 0.0));
}
`,
);
