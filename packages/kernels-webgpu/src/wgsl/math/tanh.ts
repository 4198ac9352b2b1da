import { snippet } from "./snippet.js";

/**
 * tanh(x) = -e / (2 + e) with e = expm1(-2|x|), sign restored, all in pairs (no raw WGSL tanh,
 * which is NaN beyond |x| ≈ 88 on some implementations). Exactly ±1 from |x| > 15 (tanh(9.02)
 * already rounds to 1); |x| < 2^-12 returns x (tanh x = x(1 - x²/3) rounds to x there).
 */
export const TANH = snippet(
  "tanh",
  ["expm1"],
  `
fn df_tanh(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax < 0x39800000u || ax > 0x7f800000u) { return x; }
  let neg = nk_signbit(x.x);
  let a = select(x, df_neg(x), neg);
  var t = vec2<f32>(1.0, 0.0);
  if (a.x <= 15.0) {
    let e = df_expm1(vec2<f32>(-2.0 * a.x, -2.0 * a.y));
    t = df_divf(df_neg(e), df_addf(vec2<f32>(nk_c(2.0), 0.0), e));
  }
  return select(t, df_neg(t), neg);
}
`,
);
