import { snippet } from "./snippet.js";

/**
 * Double-float arithmetic: a float value is carried as a vec2<f32> (hi, lo) with hi = the
 * float32 rounding of hi + lo and |lo| <= half an ulp of hi, about 48 significant bits. Every
 * float node of a fused expression is computed this way, so a chain rounds (nearly) once, like
 * the CPU's float64, and transcendental functions get their argument's rounding error as lo.
 *
 * Error-free transformations: TwoSum for sums; for products a split of each operand into
 * 12-bit halves by masking its bits, whose partial products are exact (Dekker). WGSL's fma is
 * not fused on every implementation (SwiftShader computes it as a product and a sum), and a
 * masked split cannot be broken by a compiler contracting a*b+c into an fma.
 *
 * Special values: non-finite results carry lo = 0; zeros keep their IEEE sign; results or
 * operands in the subnormal range take slow paths on operands scaled by 2^64 (see tiny), so
 * flushing hardware still gives IEEE results.
 *
 * The primitives below choose between results with `select`, not early returns: both sides are
 * cheap, and SwiftShader compiles inlined branches slowly (a shader calling df_log, some thirty
 * of them, compiled in twice the time; df_pow and df_erfinv in 1.5 to 2 times).
 */
export const DF = snippet(
  "df",
  ["bits", "ldexp", "tiny"],
  `
// s + e normalized, for |s| >= |e| (or s == 0)
// (nk_o keeps the compiler from simplifying the error terms away: see bits)
fn df_fast(s: f32, e: f32) -> vec2<f32> {
  let t = nk_o(s + e);
  let r = vec2<f32>(t, select(0.0, e - nk_o(t - s), nk_finite(t)));
  return select(r, vec2<f32>(s, 0.0), nk_is0(e));
}
fn df_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = nk_o(a + b);
  let bb = nk_o(s - a);
  let e = nk_o(a - nk_o(s - bb)) + nk_o(b - bb);
  return vec2<f32>(s, select(0.0, e, nk_finite(s)));
}
fn df_split(a: f32) -> vec2<f32> {
  let h = nk_f(nk_b(a) & 0xfffff000u);
  return vec2<f32>(h, a - h);
}
// a · b = p.x + p.y exactly; lo = 0 when an operand or the product is below 2^-100, where
// partial products could be flushed inconsistently (garbage is worse than no low part)
fn df_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = nk_o(a * b);
  let m = min(min(nk_b(a) & 0x7fffffffu, nk_b(b) & 0x7fffffffu), nk_b(p) & 0x7fffffffu);
  let x = df_split(a);
  let y = df_split(b);
  // the partial products are exact; their sum must run in this order (largest first)
  let e = nk_o(nk_o(nk_o(x.x * y.x - p) + x.x * y.y) + x.y * y.x) + x.y * y.y;
  return vec2<f32>(p, select(e, 0.0, !nk_finite(p) || m < 0x0d800000u));
}
fn df_neg(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(nk_neg(a.x), nk_neg(a.y)); }
// The *f variants skip the subnormal slow paths: the math library uses them where operands
// and results stay in the normal range (smaller shaders: SwiftShader inlines every call).
fn df_addf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = df_two_sum(a.x, b.x);
  return select(s, df_fast(s.x, s.y + (a.y + b.y)), nk_finite(s.x));
}
fn df_subf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return df_addf(a, df_neg(b)); }
fn df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (max(nk_b(a.x) & 0x7fffffffu, nk_b(b.x) & 0x7fffffffu) < 0x0d800000u) {
    return vec2<f32>(nk_add_tiny(a.x, b.x), 0.0);
  }
  return df_addf(a, b);
}
fn df_sub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return df_add(a, df_neg(b)); }
// a · b for a product in or near the subnormal range, or a subnormal operand
fn nk_mul_tiny(a: f32, b: f32) -> f32 {
  let sa = nk_small(a);
  let sb = nk_small(b);
  let p = df_two_prod(select(a, nk_up64(a), sa), select(b, nk_up64(b), sb));
  return nk_ldexp2(p.x, p.y, select(0, -64, sa) + select(0, -64, sb));
}
fn df_mulf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = df_two_prod(a.x, b.x);
  return select(p, df_fast(p.x, p.y + (a.x * b.y + a.y * b.x)), nk_finite(p.x));
}
fn df_mul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = a.x * b.x;
  if (!nk_finite(p)) {
    // inf × a subnormal that flushing hardware read as 0 must stay inf
    if (nk_isnan(p) && !nk_isnan(a.x) && !nk_isnan(b.x) && !nk_is0(a.x) && !nk_is0(b.x)) {
      return vec2<f32>(nk_f(((nk_b(a.x) ^ nk_b(b.x)) & 0x80000000u) | 0x7f800000u), 0.0);
    }
    return vec2<f32>(p, 0.0);
  }
  if (nk_tinyish(p) && !nk_is0(a.x) && !nk_is0(b.x)) {
    return vec2<f32>(nk_mul_tiny(a.x, b.x), 0.0);
  }
  return df_mulf(a, b);
}
// a / b of the hardware, which may compute it as a · (1/b): for |b| >= 2^126, 1/b is subnormal
// and flushes (NVIDIA gives x / 3e38 = 0 and inf / 3e38 = NaN), so such a b is scaled by 1/4
// first, with a. Rounding: the division need not be correctly rounded (WGSL allows 2.5 ulp);
// callers correct it with the residual a - q·b.
fn nk_quot(a: f32, b: f32) -> f32 {
  let huge = (nk_b(b) & 0x7fffffffu) >= 0x7e800000u;
  return select(a, a * 0.25, huge) / select(b, b * 0.25, huge);
}
// a / b for a subnormal divisor or a quotient in or near the subnormal range
fn nk_div_tiny(a: f32, b: f32) -> f32 {
  let sa = (nk_b(a) & 0x7fffffffu) < 0x5d800000u; // |a| < 2^60: scaled up
  let sb = nk_small(b);
  let a2 = select(a, nk_up64(a), sa);
  let b2 = select(b, nk_up64(b), sb);
  let q = nk_quot(a2, b2);
  if (!nk_finite(q) || nk_is0(q)) { return q; }
  let p = df_two_prod(q, b2);
  // the hardware quotient may be an ulp off: correct it before rounding to the subnormal grid
  let c = df_fast(q, nk_quot(nk_o(nk_o(a2 - p.x) - p.y), b2));
  return nk_ldexp2(c.x, c.y, select(0, -64, sa) - select(0, -64, sb));
}
// q = a / b corrected by the exact residual a - q·b (the hardware quotient may be an ulp off).
// Below 2^-100 the residual's partial products and the correction could underflow (df_two_prod
// gives no low part there), so a small a or q is scaled up by 2^64 with a, a small b by 2^64
// against q, and the corrected quotient scaled back: its hi stays correctly rounded.
fn df_divf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q = nk_quot(a.x, b.x);
  let small_a = min(nk_b(a.x) & 0x7fffffffu, nk_b(q) & 0x7fffffffu) < 0x0d800000u;
  let ka = select(1.0, 0x1p64f, small_a);
  let kb = select(1.0, 0x1p64f, (nk_b(b.x) & 0x7fffffffu) < 0x0d800000u);
  let qs = (q * ka) / kb;
  let bs = b.x * kb;
  let p = df_two_prod(qs, bs);
  let r = nk_o(nk_o(a.x * ka - p.x) - p.y) + (a.y * ka - qs * (b.y * kb));
  let c = df_fast(qs, nk_quot(r, bs));
  let plain = !nk_finite(q) || nk_is0(q) || nk_isinf(b.x);
  return select(c * (kb / ka), vec2<f32>(q, 0.0), plain);
}
fn df_div(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q = nk_quot(a.x, b.x);
  if (nk_isnan(a.x) || nk_isnan(b.x) || nk_isinf(a.x) || nk_isinf(b.x)) { return vec2<f32>(q, 0.0); }
  if (nk_tinyish(b.x) || (nk_tinyish(q) && !nk_is0(a.x))) {
    return vec2<f32>(nk_div_tiny(a.x, b.x), 0.0);
  }
  return df_divf(a, b);
}
// scales a pair by 2^k (-126 <= k <= 127) where the result stays normal
fn df_scale(a: vec2<f32>, k: i32) -> vec2<f32> {
  let s = nk_pow2(k);
  return vec2<f32>(a.x * s, a.y * s);
}
`,
);

export const DF_SQRT = snippet(
  "df_sqrt",
  ["df"],
  `
fn df_sqrt(a: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(a.x) || nk_is0(a.x)) { return vec2<f32>(a.x, 0.0); }
  if (nk_signbit(a.x)) { return vec2<f32>(nk_nan(), 0.0); }
  if (nk_isinf(a.x)) { return vec2<f32>(a.x, 0.0); }
  // below 2^-62 (subnormals included, read from the bits): sqrt(x · 2^64) · 2^-32, so that
  // s·s keeps its low part in df_two_prod. The hardware root may be an ulp off (NVIDIA's is):
  // one Newton step on the exact residual x - s·s corrects it.
  let small = nk_small(a.x);
  let x = select(a, vec2<f32>(nk_up64(a.x), 0.0), small);
  let s = sqrt(x.x);
  let p = df_two_prod(s, s);
  let c = df_fast(s, (nk_o(nk_o(x.x - p.x) - p.y) + x.y) / (2.0 * s));
  return select(c, c * 0x1p-32f, small);
}
`,
);

/**
 * Comparisons and selections on pairs, through integer keys of the bits: exact for subnormals
 * (which the hardware may compare as zero), -0 == +0, and NaN unordered.
 */
export const DF_CMP = snippet(
  "df_cmp",
  ["bits"],
  `
fn nk_key(x: f32) -> i32 {
  let b = bitcast<i32>(x);
  return select(b, -(b & 0x7fffffff), b < 0);
}
fn df_lt(a: vec2<f32>, b: vec2<f32>) -> bool {
  if (nk_isnan(a.x) || nk_isnan(b.x)) { return false; }
  let ka = nk_key(a.x);
  let kb = nk_key(b.x);
  return ka < kb || (ka == kb && nk_key(a.y) < nk_key(b.y));
}
fn df_le(a: vec2<f32>, b: vec2<f32>) -> bool {
  if (nk_isnan(a.x) || nk_isnan(b.x)) { return false; }
  let ka = nk_key(a.x);
  let kb = nk_key(b.x);
  return ka < kb || (ka == kb && nk_key(a.y) <= nk_key(b.y));
}
fn df_eq(a: vec2<f32>, b: vec2<f32>) -> bool {
  if (nk_isnan(a.x) || nk_isnan(b.x)) { return false; }
  return nk_key(a.x) == nk_key(b.x) && nk_key(a.y) == nk_key(b.y);
}
// maximum/minimum: NaN from either side propagates; of two zeros, max is +0 unless both are
// -0 and min is -0 if either is (as the CPU's Math.max/min: relu(-0) = +0)
fn df_max(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(a.x)) { return a; }
  if (nk_isnan(b.x)) { return b; }
  if (nk_is0(a.x) && nk_is0(b.x)) { return vec2<f32>(nk_f(nk_b(a.x) & nk_b(b.x)), 0.0); }
  return select(a, b, df_lt(a, b));
}
fn df_min(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(a.x)) { return a; }
  if (nk_isnan(b.x)) { return b; }
  if (nk_is0(a.x) && nk_is0(b.x)) { return vec2<f32>(nk_f(nk_b(a.x) | nk_b(b.x)), 0.0); }
  return select(a, b, df_lt(b, a));
}
`,
);

export const DF_MISC = snippet(
  "df_misc",
  ["bits"],
  `
fn df_abs(a: vec2<f32>) -> vec2<f32> {
  return select(a, vec2<f32>(nk_neg(a.x), nk_neg(a.y)), nk_signbit(a.x));
}
// -1, 0 or +1; sign(NaN) = 0 and sign(±0) = +0 (MLX)
fn df_sign(a: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(a.x) || nk_is0(a.x)) { return vec2<f32>(0.0, 0.0); }
  return vec2<f32>(select(1.0, -1.0, nk_signbit(a.x)), 0.0);
}
// C++ truthiness: anything but ±0 is true (NaN and subnormals included)
fn nk_truthy(a: vec2<f32>) -> bool { return !nk_is0(a.x); }
`,
);
