import { snippet } from "./snippet.js";

/**
 * The two-branch logistic function: 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below, in pairs
 * (so 1 + e^-x cannot overflow). Below -80 the result is e^x itself (the correction e^2x is
 * under 2^-115 relatively), rounded once on the subnormal grid. sigmoid(±0) = 0.5 exactly.
 */
export const SIGMOID = snippet(
  "sigmoid",
  ["exp"],
  `
fn df_sigmoid(x: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(x.x)) { return vec2<f32>(x.x, 0.0); }
  let one = vec2<f32>(nk_c(1.0), 0.0);
  if (!nk_signbit(x.x)) {
    if (x.x > 40.0) { return one; }
    return df_divf(one, df_addf(one, df_exp(df_neg(x))));
  }
  if (x.x < -104.0) { return vec2<f32>(0.0, 0.0); }
  let c = nk_exp_core(x.x, x.y);
  if (x.x < -80.0) { return vec2<f32>(nk_ldexp(c.m.x, c.k), 0.0); }
  let e = nk_scale_pair(c.m, c.k);
  return df_divf(e, df_addf(one, e));
}
`,
);
