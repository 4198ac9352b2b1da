import { snippet } from "./snippet.js";

/**
 * Bit-level helpers. Everything that must see NaN, infinities, signed zeros or subnormals looks
 * at the bits: WGSL implementations may assume finite math (SwiftShader evaluates `x != x` as
 * false for NaN) and may flush subnormals (SwiftShader flushes both inputs and results of
 * float arithmetic, and computes `-x` as `0 - x`, which loses the sign of NaN and flushes).
 * NaN and infinity are made through `nk_f`, a function call, because a constant expression
 * that evaluates to NaN or infinity is a shader-creation error in WGSL.
 *
 * Literal constants that enter error-free transformations go through `nk_c` / `nk_cv`, a
 * product with 1.0 read at run time: SPIR-V optimizers (spirv-opt, which SwiftShader runs on
 * every shader) reassociate float sums with literal constants, e.g. (1 + r) - 1 → r, which
 * silently zeroes the error term of TwoSum. Every entry point that uses the library must store
 * a run-time 1.0 in `nk_one_` first (a forgotten store leaves 0 and breaks results loudly).
 *
 * Drivers go further: NVIDIA's Vulkan compiler simplifies float algebra between variables too
 * ((a + b) - a → b, a - (b - c) → (a - b) + c), as if every operation were "fast math"; WGSL has
 * no `precise` to forbid it. `nk_o(x)` is x passed through an integer XOR with a run-time zero,
 * which no compiler can see through: every rounded value whose rounding error an error-free
 * transformation observes is wrapped in it where it is made, so each such operation is
 * evaluated exactly as written. Measured on an H200 through Dawn: without it, TwoSum's error
 * term came out 0 and double-float exp/log lost every bit beyond float32.
 */
export const BITS = snippet(
  "bits",
  [],
  `
var<private> nk_one_: f32;
fn nk_c(c: f32) -> f32 { return c * nk_one_; }
fn nk_cv(c: vec2<f32>) -> vec2<f32> { return c * nk_one_; }
fn nk_o(x: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) ^ (bitcast<u32>(nk_one_) ^ 0x3f800000u));
}
fn nk_f(b: u32) -> f32 { return bitcast<f32>(b); }
fn nk_b(x: f32) -> u32 { return bitcast<u32>(x); }
fn nk_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn nk_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn nk_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
// exactly zero (a subnormal is not zero here, whatever the arithmetic thinks)
fn nk_is0(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }
// |x| < 2^-125: zero, subnormal or within a factor 4 of the subnormal range
fn nk_tinyish(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x01000000u; }
fn nk_signbit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn nk_neg(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }
fn nk_copysign(m: f32, s: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(m) & 0x7fffffffu) | (bitcast<u32>(s) & 0x80000000u));
}
fn nk_nan() -> f32 { return nk_f(0x7fc00000u); }
fn nk_inf() -> f32 { return nk_f(0x7f800000u); }
// 2^k for -126 <= k <= 127
fn nk_pow2(k: i32) -> f32 { return nk_f(u32(k + 127) << 23u); }
`,
);

/**
 * (p + e) · 2^k rounded once to float32, built from bits: exact for normal results, rounded to
 * nearest even on the subnormal grid (e, |e| <= half an ulp of p, only breaks ties), and
 * overflowing to infinity. p must be normal (or zero, infinite or NaN: returned as is).
 */
export const LDEXP = snippet(
  "ldexp",
  ["bits"],
  `
fn nk_ldexp2(p: f32, e: f32, k: i32) -> f32 {
  let b = bitcast<u32>(p);
  let s = b & 0x80000000u;
  let ex = i32((b >> 23u) & 0xffu);
  if (ex == 255) { return p; }
  if (ex == 0) { return select(p, nk_f(s), k < 0); }
  let ne = ex + k;
  if (ne >= 255) { return nk_f(s | 0x7f800000u); }
  if (ne >= 1) { return nk_f(s | (u32(ne) << 23u) | (b & 0x7fffffu)); }
  let sh = u32(1 - ne);
  if (sh > 25u) { return nk_f(s); }
  let m = (b & 0x7fffffu) | 0x800000u;
  let q = m >> sh;
  let rem = m & ((1u << sh) - 1u);
  let half = 1u << (sh - 1u);
  let eb = bitcast<u32>(e);
  var up = rem > half;
  if (rem == half) {
    up = select((q & 1u) == 1u, (eb & 0x80000000u) == s, (eb & 0x7fffffffu) != 0u);
  }
  return nk_f(s | (q + select(0u, 1u, up)));
}
fn nk_ldexp(p: f32, k: i32) -> f32 { return nk_ldexp2(p, 0.0, k); }
`,
);

/**
 * Tiny values made usable on hardware that flushes subnormals: nk_up64(x) = x · 2^64 exactly,
 * read from the bits when x is subnormal. Sums, products and quotients whose operands or
 * results are tiny are redone on scaled operands and rounded once with nk_ldexp2.
 */
export const TINY = snippet(
  "tiny",
  ["bits", "ldexp"],
  `
fn nk_up64(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7f800000u) == 0u) {
    return nk_copysign(f32(b & 0x7fffffu) * 0x1p-85f, x);
  }
  return x * 0x1p+64f;
}
// |x| < 2^-62: scaled by 2^64 in the slow paths below
fn nk_small(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x20800000u; }
// a + b for |a|, |b| < 2^-100: exact when the result is subnormal, correctly rounded otherwise
fn nk_add_tiny(a: f32, b: f32) -> f32 { return nk_ldexp(nk_up64(a) + nk_up64(b), -64); }
`,
);
