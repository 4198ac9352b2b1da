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
 */
export const DF = snippet(
  "df",
  ["bits", "ldexp", "tiny"],
  `
// s + e normalized, for |s| >= |e| (or s == 0)
fn df_fast(s: f32, e: f32) -> vec2<f32> {
  let t = s + e;
  if (nk_is0(e)) { return vec2<f32>(s, 0.0); }
  if (!nk_finite(t)) { return vec2<f32>(t, 0.0); }
  return vec2<f32>(t, e - (t - s));
}
fn df_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  if (!nk_finite(s)) { return vec2<f32>(s, 0.0); }
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}
fn df_split(a: f32) -> vec2<f32> {
  let h = nk_f(nk_b(a) & 0xfffff000u);
  return vec2<f32>(h, a - h);
}
// a · b = p.x + p.y exactly; lo = 0 when an operand or the product is below 2^-100, where
// partial products could be flushed inconsistently (garbage is worse than no low part)
fn df_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  let m = min(min(nk_b(a) & 0x7fffffffu, nk_b(b) & 0x7fffffffu), nk_b(p) & 0x7fffffffu);
  if (!nk_finite(p) || m < 0x0d800000u) { return vec2<f32>(p, 0.0); }
  let x = df_split(a);
  let y = df_split(b);
  let e = ((x.x * y.x - p) + x.x * y.y + x.y * y.x) + x.y * y.y;
  return vec2<f32>(p, e);
}
fn df_neg(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(nk_neg(a.x), nk_neg(a.y)); }
// The *f variants skip the subnormal slow paths: the math library uses them where operands
// and results stay in the normal range (smaller shaders: SwiftShader inlines every call).
fn df_addf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = df_two_sum(a.x, b.x);
  if (!nk_finite(s.x)) { return s; }
  return df_fast(s.x, s.y + (a.y + b.y));
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
  if (!nk_finite(p.x)) { return p; }
  return df_fast(p.x, p.y + (a.x * b.y + a.y * b.x));
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
// a / b for a subnormal divisor or a quotient in or near the subnormal range
fn nk_div_tiny(a: f32, b: f32) -> f32 {
  let sa = (nk_b(a) & 0x7fffffffu) < 0x5d800000u; // |a| < 2^60: scaled up
  let sb = nk_small(b);
  let a2 = select(a, nk_up64(a), sa);
  let b2 = select(b, nk_up64(b), sb);
  let q = a2 / b2;
  if (!nk_finite(q) || nk_is0(q)) { return q; }
  let p = df_two_prod(q, b2);
  let e = ((a2 - p.x) - p.y) / b2;
  return nk_ldexp2(q, e, select(0, -64, sa) - select(0, -64, sb));
}
fn df_divf(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q = a.x / b.x;
  if (!nk_finite(q) || nk_is0(q) || nk_isinf(b.x)) { return vec2<f32>(q, 0.0); }
  let p = df_two_prod(q, b.x);
  let r = ((a.x - p.x) - p.y) + (a.y - q * b.y);
  return df_fast(q, r / b.x);
}
fn df_div(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q = a.x / b.x;
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
  if (nk_small(a.x)) {
    // sqrt(x · 2^64) · 2^-32, from the bits when x is subnormal
    return vec2<f32>(sqrt(nk_up64(a.x)) * 0x1p-32f, 0.0);
  }
  let s = sqrt(a.x);
  let p = df_two_prod(s, s);
  return df_fast(s, (((a.x - p.x) - p.y) + a.y) / (2.0 * s));
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
