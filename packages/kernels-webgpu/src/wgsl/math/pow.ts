import { snippet } from "./snippet.js";

/**
 * C99 pow (Annex F.9.4.4, which MLX's float power follows): pow(x, ±0) = 1 and pow(1, y) = 1
 * even for NaN, (-1)^±inf = 1, the signed zeros and infinities of pow(±0, y) and pow(±inf, y),
 * NaN for a negative base with a non-integer exponent, the sign of odd integer powers.
 * Integer exponents up to 64 use repeated squaring in pairs (so exact squares and their ties
 * round correctly); others exp(y·log|x|) with log and the product as pairs.
 */
export const POW = snippet(
  "pow",
  ["exp", "log", "df_cmp"],
  `
fn nk_is_int(y: f32) -> bool {
  let b = nk_b(y) & 0x7fffffffu;
  let e = i32(b >> 23u) - 127;
  if (e >= 23) { return true; }
  if (e < 0) { return b == 0u; }
  return (b & ((1u << u32(23 - e)) - 1u)) == 0u;
}
fn nk_is_odd(y: f32) -> bool {
  let b = nk_b(y) & 0x7fffffffu;
  let e = i32(b >> 23u) - 127;
  if (e < 0 || e > 23) { return false; }
  return ((((b & 0x7fffffu) | 0x800000u) >> u32(23 - e)) & 1u) == 1u;
}
fn df_powi(x: vec2<f32>, n: u32) -> vec2<f32> {
  var acc = vec2<f32>(nk_c(1.0), 0.0);
  var b = x;
  var k = n;
  loop {
    if ((k & 1u) != 0u) { acc = df_mul(acc, b); }
    k = k >> 1u;
    if (k == 0u) { break; }
    b = df_mul(b, b);
  }
  return acc;
}
fn df_pow(x: vec2<f32>, y: vec2<f32>) -> vec2<f32> {
  let one = vec2<f32>(nk_c(1.0), 0.0);
  if (nk_is0(y.x)) { return one; }
  if (nk_b(x.x) == 0x3f800000u && nk_is0(x.y)) { return one; }
  if (nk_isnan(x.x) || nk_isnan(y.x)) { return vec2<f32>(nk_nan(), 0.0); }
  let yint = nk_is_int(y.x) && nk_is_int(y.y);
  let yodd = yint && (nk_is_odd(y.x) != nk_is_odd(y.y));
  let xneg = nk_signbit(x.x);
  let ypos = !nk_signbit(y.x);
  let inf = nk_inf();
  if (nk_is0(x.x)) {
    if (ypos) { return vec2<f32>(select(0.0, nk_copysign(0.0, x.x), yodd), 0.0); }
    return vec2<f32>(select(inf, nk_copysign(inf, x.x), yodd), 0.0);
  }
  if (nk_isinf(x.x)) {
    if (ypos) { return vec2<f32>(select(inf, nk_copysign(inf, x.x), yodd), 0.0); }
    return vec2<f32>(select(0.0, nk_copysign(0.0, x.x), yodd), 0.0);
  }
  let ax = select(x, df_neg(x), xneg);
  if (nk_isinf(y.x)) {
    if (nk_b(ax.x) == 0x3f800000u && nk_is0(ax.y)) { return one; }
    return vec2<f32>(select(0.0, inf, df_lt(ax, one) != ypos), 0.0);
  }
  if (xneg && !yint) { return vec2<f32>(nk_nan(), 0.0); }
  var r: vec2<f32>;
  if (yint && (nk_b(y.x) & 0x7fffffffu) <= 0x42800000u) {
    r = df_powi(select(df_div(one, ax), ax, ypos), u32(abs(y.x)));
  } else {
    r = df_exp(df_mulf(y, df_log(ax)));
  }
  return select(r, df_neg(r), xneg && yodd);
}
`,
);

/** Integer power by repeated squaring, wrapping modulo 2^32; negative exponents give 0 except for bases ±1 (MLX). */
export const IPOW = snippet(
  "ipow",
  [],
  `
fn nk_ipow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = u32(b);
  loop {
    if ((e & 1u) != 0u) { r = r * base; }
    e = e >> 1u;
    if (e == 0u) { break; }
    base = base * base;
  }
  return r;
}
fn nk_ipow_u32(a: u32, b: u32) -> u32 {
  var r = 1u;
  var base = a;
  var e = b;
  loop {
    if ((e & 1u) != 0u) { r = r * base; }
    e = e >> 1u;
    if (e == 0u) { break; }
    base = base * base;
  }
  return r;
}
`,
);
