import { f32, f32Pair, horner, snippet } from "./snippet.js";

const SQRTPI_2 = 0.886226925452758;

/** M. Giles, "Approximating the erfinv function" (GPU Computing Gems), single precision. */
const GILES_CENTRAL = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503,
  -0.00417768164, 0.246640727, 1.50140941,
];
const GILES_TAIL = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
  0.00943887047, 1.00167406, 2.83297682,
];

/**
 * erfinv: Giles' approximation (relative error 1.2e-7) as the start, then one Newton step on the
 * accurate erf (|x| <= 0.5) or on erfc against 1 - |x| (exact; relative accuracy up to x = 1).
 * ±inf at ±1, NaN beyond; x·√π/2 for |x| < 2^-38 (subnormals included).
 */
export const ERFINV = snippet(
  "erfinv",
  ["erf", "erfc", "exp"],
  `
fn df_erfinv(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax > 0x3f800000u) { return vec2<f32>(nk_nan(), 0.0); }
  if (ax < 0x2c800000u) { return df_mul(x, ${f32Pair(SQRTPI_2)}); }
  let neg = nk_signbit(x.x);
  let a = select(x, df_neg(x), neg);
  let c = df_subf(vec2<f32>(nk_c(1.0), 0.0), a);
  if (nk_is0(c.x)) { return vec2<f32>(nk_copysign(nk_inf(), x.x), 0.0); }
  if (nk_signbit(c.x)) { return vec2<f32>(nk_nan(), 0.0); }
  var w = -log(c.x * (2.0 - c.x));
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = ${horner(GILES_CENTRAL, "w")};
  } else {
    w = sqrt(w) - 3.0;
    p = ${horner(GILES_TAIL, "w")};
  }
  let y0 = vec2<f32>(p * a.x, 0.0);
  var r: vec2<f32>;
  if (a.x <= 0.5) {
    r = df_subf(df_erf(y0), a);
  } else {
    r = df_subf(c, df_erfc(y0));
  }
  let d = r.x * ${f32(SQRTPI_2)} * df_exp(df_two_prod(y0.x, y0.x)).x;
  let y = df_subf(y0, vec2<f32>(d, 0.0));
  return select(y, df_neg(y), neg);
}
`,
);
