import { f32Pair, horner, snippet } from "./snippet.js";

/** 2/√π. */
const C0 = 1.1283791670955126;

/**
 * (erf(x)/x - 2/√π) / x² on x² in [0, 1]: Chebyshev fit (mpmath), relative error 1.7e-8,
 * which reaches erf at most a quarter as large. Highest degree first.
 */
const ERF_P = [
  8.379755581768224e-5, -0.0008161986540033511, 0.005204578778761909, -0.026861699954947374,
  0.1128375366163041, -0.37612638376109975,
];

/**
 * H(t) = x·e^{x²}·erfc(x) with t = (x - 2)/(x + 2), on x in [0.75, 10.1]: Chebyshev fit
 * (mpmath), relative error 3e-10. Highest degree first; the constant term is used as a pair.
 */
const ERFC_H = [
  0.00016750307512667785, -0.00028715854575430143, -0.0007910124185328151, 0.0011266421679789966,
  0.004792615568432657, -0.007516390126659054, -0.028977060519466587, 0.12151498638438214,
  -0.20384427816343156, 0.16721100940641484,
];
const ERFC_H0 = 0.5107913525348434;

/**
 * erf on |x| < 1: x·(2/√π + x²·P(x²)), the constant as a pair and the last step in pairs.
 * erfc on [0.75, 10.1): e^{-x²}·H(t)/x with x² and the exponential as pairs (x² is exact
 * including the argument's low part, which is what keeps erfc's relative accuracy in the tail
 * and the gelu tail), t as a pair rounded once, the constant term of H as a pair; rounded once
 * at the end, on the subnormal grid beyond x ≈ 9.19.
 */
export const ERF_PARTS = snippet(
  "erf_parts",
  ["exp_core"],
  `
fn nk_erf_small(x: vec2<f32>) -> vec2<f32> {
  let z = x.x * x.x;
  let p = ${horner(ERF_P, "z")};
  return df_mul(x, df_addf(${f32Pair(C0)}, df_two_prod(z, p)));
}
// erfc(x) = m · 2^k, for 0.75 <= x < 10.5
fn nk_erfc_tail_core(x: vec2<f32>) -> NkExp {
  let t = df_divf(df_two_sum(x.x, nk_c(-2.0)), df_two_sum(x.x, nk_c(2.0))).x;
  let q = ${horner(ERFC_H, "t")};
  let h = df_addf(${f32Pair(ERFC_H0)}, df_two_prod(t, q));
  let x2 = df_mulf(x, x);
  let c = nk_exp_core(-x2.x, -x2.y);
  return NkExp(df_divf(df_mulf(c.m, h), x), c.k);
}
fn nk_erfc_tail(x: vec2<f32>) -> vec2<f32> {
  let c = nk_erfc_tail_core(x);
  return nk_scale_pair(c.m, c.k);
}
`,
);

/** erf: odd; 1 - erfc(|x|) from |x| = 1; exactly ±1 from |x| = 4. */
export const ERF = snippet(
  "erf",
  ["erf_parts"],
  `
fn df_erf(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax > 0x7f800000u) { return x; }
  if (ax < 0x3f800000u) { return nk_erf_small(x); }
  if (ax >= 0x40800000u) { return vec2<f32>(nk_copysign(1.0, x.x), 0.0); }
  let neg = nk_signbit(x.x);
  let r = df_subf(vec2<f32>(nk_c(1.0), 0.0), nk_erfc_tail(select(x, df_neg(x), neg)));
  return select(r, df_neg(r), neg);
}
`,
);

/** erfc: 1 - erf(x) on |x| < 0.75, the tail above, 2 - erfc(-x) below (exactly 2 from -4). */
export const ERFC = snippet(
  "erfc",
  ["erf_parts"],
  `
fn df_erfc(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax > 0x7f800000u) { return x; }
  if (ax < 0x3f400000u) { return df_subf(vec2<f32>(nk_c(1.0), 0.0), nk_erf_small(x)); }
  if (!nk_signbit(x.x)) {
    if (x.x >= 10.1) { return vec2<f32>(0.0, 0.0); }
    return nk_erfc_tail(x);
  }
  if (x.x <= -4.0) { return vec2<f32>(2.0, 0.0); }
  return df_subf(vec2<f32>(nk_c(2.0), 0.0), nk_erfc_tail(df_neg(x)));
}
`,
);
