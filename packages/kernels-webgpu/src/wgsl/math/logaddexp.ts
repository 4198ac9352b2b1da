import { snippet } from "./snippet.js";

/**
 * MLX's logaddexp: max + log1p(exp(min - max)), NaN if either operand is NaN, and the larger
 * operand itself when the smaller is -inf or the larger is +inf. In pairs throughout.
 */
export const LOGADDEXP = snippet(
  "logaddexp",
  ["exp", "log1p", "df_cmp"],
  `
fn df_logaddexp(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(a.x)) { return vec2<f32>(a.x, 0.0); }
  if (nk_isnan(b.x)) { return vec2<f32>(b.x, 0.0); }
  let a_big = df_lt(b, a);
  let hi = select(b, a, a_big);
  let lo = select(a, b, a_big);
  if (nk_b(lo.x) == 0xff800000u || nk_b(hi.x) == 0x7f800000u) { return hi; }
  let d = df_subf(lo, hi);
  if (d.x < -104.0) { return hi; }
  return df_add(hi, df_log1p(df_exp(d)));
}
`,
);
