import { snippet } from "./snippet.js";

/**
 * Compensated sums of many floats (the row kernels' sum, mean, logsumexp and softmax). Within a
 * block of elements a sum is kept as (hi, lo) where hi is the plain running sum and lo collects
 * the exact rounding errors (Neumaier's scheme, not renormalised: cheap, and hi never depends on
 * lo, so infinities and NaN come out exactly as in a plain sum). Blocks and per-thread partials
 * are merged with `df_sum_merge`, which renormalises, so lo never grows large enough for its own
 * rounding to matter however long the row. Unlike df_addf, the merge does not assume |lo| is
 * small against hi: a block's hi may have cancelled while its lo did not.
 */
export const SUM = snippet(
  "sum",
  ["df"],
  `
// acc + v, one Neumaier step
fn df_sum1(acc: vec2<f32>, v: f32) -> vec2<f32> {
  let t = df_two_sum(acc.x, v);
  return vec2<f32>(t.x, acc.y + t.y);
}
// acc + v for a pair v, one Neumaier step
fn df_sum2(acc: vec2<f32>, v: vec2<f32>) -> vec2<f32> {
  let t = df_two_sum(acc.x, v.x);
  return vec2<f32>(t.x, (acc.y + v.y) + t.y);
}
// a + b renormalised (|lo| <= half an ulp of hi); a non-finite hi is returned as is
fn df_sum_merge(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = df_two_sum(a.x, b.x);
  if (!nk_finite(s.x)) { return s; }
  return df_two_sum(s.x, (a.y + b.y) + s.y);
}
fn df_sum_value(a: vec2<f32>) -> f32 {
  if (!nk_finite(a.x)) { return a.x; }
  return a.x + a.y;
}
// a u32 count as an exact pair (f32 holds integers below 2^24 exactly)
fn nk_count(n: u32) -> vec2<f32> {
  if (n < 0x1000000u) { return vec2<f32>(f32(n), 0.0); }
  return vec2<f32>(f32(n & 0xffffff00u), f32(n & 0xffu));
}
// (a.x + a.y) / n for a merged sum a, correctly rounded but for rare ties. Sums above 1e34
// take the plain quotient: the residual's product q·n could round past the largest float.
fn df_sum_mean(a: vec2<f32>, n: u32) -> f32 {
  let c = nk_count(n);
  if (abs(a.x) > 1e34) { return a.x / c.x; }
  return df_divf(a, c).x;
}
`,
);
