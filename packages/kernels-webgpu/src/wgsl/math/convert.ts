import { snippet } from "./snippet.js";

/**
 * Conversions with the CPU's semantics, all through bits (never WGSL's f32→i32, which
 * saturates and is undefined for NaN, nor f32↔f16 conversions, which need shader-f16 and are
 * loosely specified out of range):
 * - integers to pairs exactly (the CPU converts to float64 exactly and rounds once later);
 * - float16 bit patterns to f32 exactly; pairs to float16 / bfloat16 rounded once to nearest
 *   even, ties broken by the low part, overflowing to inf, NaN kept;
 * - pairs to uint32/int32: truncation toward zero of hi + lo, modulo 2^32, NaN and ±inf to 0.
 */
export const CONVERT = snippet(
  "convert",
  ["df"],
  `
fn nk_i2df(i: i32) -> vec2<f32> { return df_fast(f32(i & -256), f32(i & 255)); }
fn nk_u2df(u: u32) -> vec2<f32> { return df_fast(f32(u & 0xffffff00u), f32(u & 0xffu)); }
fn nk_f16_to_f32(h: u32) -> f32 {
  let s = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0u) { return nk_f(s | nk_b(f32(m) * 0x1p-24f)); }
  if (e == 31u) { return nk_f(s | 0x7f800000u | (m << 13u)); }
  return nk_f(s | ((e + 112u) << 23u) | (m << 13u));
}
// round-to-nearest-even increment for q with remainder rem against half, ties broken by lo
fn nk_round_up(q: u32, rem: u32, half: u32, hi: u32, lo: f32) -> u32 {
  let lb = nk_b(lo);
  var up = rem > half;
  if (rem == half) {
    up = select((q & 1u) == 1u, (lb & 0x80000000u) == (hi & 0x80000000u), (lb & 0x7fffffffu) != 0u);
  }
  return select(0u, 1u, up);
}
fn nk_df_to_f16(x: vec2<f32>) -> u32 {
  let b = nk_b(x.x);
  let s = (b >> 16u) & 0x8000u;
  let a = b & 0x7fffffffu;
  if (a > 0x7f800000u) { return s | 0x7e00u; }
  let e = i32(a >> 23u) - 127;
  if (e >= 16) { return s | 0x7c00u; }
  if (e < -25) { return s; }
  let m = (a & 0x7fffffu) | 0x800000u;
  let drop = u32(13 + max(0, -14 - e));
  let q = m >> drop;
  let r = q + nk_round_up(q, m & ((1u << drop) - 1u), 1u << (drop - 1u), b, x.y);
  if (e < -14) { return s | r; }
  return s | ((u32(e + 14) << 10u) + r);
}
fn nk_df_to_bf16(x: vec2<f32>) -> f32 {
  let b = nk_b(x.x);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return nk_f((b | 0x00400000u) & 0xffff0000u); }
  let q = b >> 16u;
  return nk_f((q + nk_round_up(q, b & 0xffffu, 0x8000u, b, x.y)) << 16u);
}
fn nk_f2u_wrap(x: f32) -> u32 {
  let b = nk_b(x);
  let e = i32((b >> 23u) & 0xffu) - 127;
  if (e < 0 || e == 128) { return 0u; }
  let m = (b & 0x7fffffu) | 0x800000u;
  var v = 0u;
  if (e <= 23) {
    v = m >> u32(23 - e);
  } else if (e < 55) {
    v = m << u32(e - 23);
  }
  return select(v, 0u - v, nk_signbit(x));
}
fn nk_df_to_u32(x: vec2<f32>) -> u32 {
  let h = nk_f2u_wrap(x.x);
  if (nk_is0(x.y) || !nk_finite(x.x) || trunc(x.x) != x.x) { return h; }
  return h + nk_f2u_wrap(select(ceil(x.y), floor(x.y), x.x > 0.0));
}
`,
);
