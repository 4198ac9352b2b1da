/**
 * f32 helpers shared by the row kernels (reductions, softmax): NaN/infinity tests that survive
 * compilers which assume finite math, error-free transformations for compensated sums, and
 * accurate exp/log (the built-ins are not: on SwiftShader `exp` is off by millions of ulps near
 * the bottom of the normal range and `log` by up to 4 ulps; `x != x` is folded to false and
 * the built-in `max`/`min` drop NaN).
 *
 * Every name starts with `rows_` so these snippets can be pasted next to other WGSL.
 *
 * Compensated arithmetic is only exact if the compiler evaluates it as written. Dawn's
 * SPIR-V path (spirv-opt, as SwiftShader runs it) folds float chains that involve a constant,
 * e.g. (1 + a) − 1 → a, which silently zeroes the error term of two_sum(1.0, a). So no
 * two-sum here takes a literal operand: constants come from `rows_one()`, which the including
 * shader must define to return 1.0 from memory (a uniform) where no optimiser can see it.
 */

/** Classification and special values. Specials are made at run time: WGSL rejects inf/NaN constants. */
export const ROWS_SPECIAL_WGSL = /* wgsl */ `
fn rows_is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn rows_is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn rows_from_bits(bits: u32) -> f32 { var b = bits; return bitcast<f32>(b); }
fn rows_nan() -> f32 { return rows_from_bits(0x7fc00000u); }
fn rows_inf() -> f32 { return rows_from_bits(0x7f800000u); }
fn rows_ninf() -> f32 { return rows_from_bits(0xff800000u); }
`;

/**
 * Double-f32 arithmetic for compensated sums. Within a block of elements a sum is kept as
 * (hi, lo) where hi is the plain running sum and lo collects the exact rounding errors
 * (Neumaier's scheme, not renormalised: cheap, and hi never depends on lo, so infinities and
 * NaN come out exactly as in a plain sum). Blocks and per-thread partials are combined with
 * `rows_dd_norm_add`, which renormalises, so lo never grows large enough for its own rounding
 * to matter however long the row. `rows_dd_value` returns hi whenever hi is not finite.
 */
export const ROWS_DD_WGSL = /* wgsl */ `
fn rows_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = s - a;
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}
fn rows_dd_add1(acc: vec2<f32>, v: f32) -> vec2<f32> {
  let t = rows_two_sum(acc.x, v);
  return vec2<f32>(t.x, acc.y + t.y);
}
fn rows_dd_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let t = rows_two_sum(a.x, b.x);
  return vec2<f32>(t.x, (a.y + b.y) + t.y);
}
// Adds two partial sums and renormalises (|lo| ≤ ulp(hi)); a non-finite hi is returned as is,
// so infinities and NaN come out exactly as in a plain sum.
fn rows_dd_norm_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = rows_two_sum(a.x, b.x);
  if (!rows_is_finite(s.x)) { return vec2<f32>(s.x, 0.0); }
  return rows_two_sum(s.x, (a.y + b.y) + s.y);
}
fn rows_dd_value(a: vec2<f32>) -> f32 {
  if (!rows_is_finite(a.x)) { return a.x; }
  return a.x + a.y;
}
// Dekker's exact product. The split truncates the significand with a bit mask (12 + 12
// bits) instead of Veltkamp's c − (c − a), which a compiler that contracts into fma would
// break; every partial product is then exact, so contraction cannot change the result, and
// nothing relies on the built-in fma being fused (SwiftShader's is not).
fn rows_split(a: f32) -> vec2<f32> {
  let h = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return vec2<f32>(h, a - h);
}
fn rows_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  let x = rows_split(a);
  let y = rows_split(b);
  return vec2<f32>(p, ((x.x * y.x - p) + x.x * y.y + x.y * y.x) + x.y * y.y);
}
// (a.x + a.y) / n, correctly rounded but for rare ties; n is a count (exact as n.x + n.y).
fn rows_dd_div(a: vec2<f32>, n: vec2<f32>) -> f32 {
  let q = a.x / n.x;
  if (!rows_is_finite(a.x) || !rows_is_finite(q) || abs(a.x) > 1e34) { return q; }
  let p = rows_two_prod(q, n.x);
  let r = (((a.x - p.x) - p.y) + a.y) - q * n.y;
  return q + r / n.x;
}
// A u32 count as an exact (hi, lo) pair of f32.
fn rows_count(n: u32) -> vec2<f32> {
  if (n < 0x1000000u) { return vec2<f32>(f32(n), 0.0); }
  return vec2<f32>(f32(n & 0xffffff00u), f32(n & 0xffu));
}
`;

/**
 * exp and log carried beyond f32 precision as normalised (hi, lo) pairs (|lo| ≤ ulp(hi)), so
 * results built from them (softmax, logsumexp) round about once. Measured on SwiftShader:
 * relative error of hi + lo below 2^-29 (exp) and 2^-31 (log); rounded to f32, ≤ 1 ulp.
 *
 * rows_exp2(x, xlo) = exp(x + xlo) for a tiny xlo (the rounding error of the subtraction that
 * made x): Cody-Waite reduction x = q·ln2 + s, |s| ≤ ln2/2, then
 * exp(s) = 1 + s + s²/2 + s³·v(s) with v the Taylor series to s⁶ (truncation 2^-37), s²/2
 * exact (Dekker's product) and the large terms added by two-sums; the result is scaled by 2^q
 * in two normal steps so that results which underflow round only once.
 *
 * rows_log2(x, xlo) = log(x + xlo) for positive normal x (the row kernels only take logs of
 * sums ≥ 1): fdlibm's logf reduction x = 2^k·(1 + f) and its polynomial R(s²), s = f/(2 + f),
 * log(1 + f) = f − f²/2 + s·(f²/2 + R), with f²/2, s, R's leading term and the product carried
 * as (hi, lo) pairs.
 *
 * rows_exp / rows_log round those to f32.
 */
export const ROWS_EXPLOG_WGSL = /* wgsl */ `
fn rows_pow2(k: i32) -> f32 { return bitcast<f32>(u32(k + 127) << 23u); }
fn rows_exp2(x: f32, xlo: f32) -> vec2<f32> {
  if (rows_is_nan(x)) { return vec2<f32>(x, 0.0); }
  if (x > 88.72284) { return vec2<f32>(rows_inf(), 0.0); }
  if (x < -104.0) { return vec2<f32>(0.0, 0.0); }
  let q = round(x * 1.44269504088896341);
  let t = rows_two_sum(x - q * 0.693145751953125, -(q * 1.428606765330187045e-06));
  let s = t.x;
  var v = 2.755731922398589e-06;
  v = v * s + 2.48015873015873e-05;
  v = v * s + 0.0001984126984126984;
  v = v * s + 0.001388888888888889;
  v = v * s + 0.008333333333333333;
  v = v * s + 0.041666666666666664;
  v = v * s + 0.16666666666666666;
  let sq = rows_two_prod(s, s) * 0.5;
  let cubic = (sq.x * s) * (2.0 * v);
  let a = rows_two_sum(s, sq.x);
  let b = rows_two_sum(a.x, cubic);
  let h = rows_two_sum(rows_one(), b.x);
  let l = (((h.y + b.y) + a.y) + sq.y) + (t.y + xlo) * h.x;
  let n = rows_two_sum(h.x, l);
  let k = i32(q);
  let k1 = k / 2;
  let p1 = rows_pow2(k1);
  let p2 = rows_pow2(k - k1);
  return vec2<f32>((n.x * p1) * p2, (n.y * p1) * p2);
}
fn rows_exp(x: f32) -> f32 {
  return rows_exp2(x, 0.0).x;
}
fn rows_log2(x: f32, xlo: f32) -> vec2<f32> {
  let ln2_hi = bitcast<f32>(0x3f317180u);
  let ln2_lo = bitcast<f32>(0x3717f7d1u);
  let lg1 = bitcast<f32>(0x3f2aaaabu);
  var ix = bitcast<i32>(x);
  var k = (ix >> 23u) - 127;
  ix = ix & 0x007fffff;
  let i = (ix + (0x95f64 << 3u)) & 0x800000;
  let xn = bitcast<f32>(ix | (i ^ 0x3f800000));
  k = k + (i >> 23u);
  let f = xn - 1.0;
  let dk = f32(k);
  // s = f / (2 + f) as (s, s_lo): 2 + f and the quotient both round.
  let den = rows_two_sum(2.0 * rows_one(), f);
  let s = f / den.x;
  let sp = rows_two_prod(s, den.x);
  let s_lo = (((f - sp.x) - sp.y) - s * den.y) / den.x;
  // R = lg1·z + (the rest), z = s² as (hi, lo); only the leading term needs the extra bits.
  let zz = rows_two_prod(s, s);
  let z = zz.x;
  let w = z * z;
  let t1 = w * (bitcast<f32>(0x3ecccccdu) + w * (bitcast<f32>(0x3e638e29u) + w * bitcast<f32>(0x3e1cd04fu)));
  let t2 = (z * w) * (bitcast<f32>(0x3e924925u) + w * (bitcast<f32>(0x3e3a3325u) + w * bitcast<f32>(0x3e178897u)));
  let lead = rows_two_prod(lg1, z);
  let r = rows_two_sum(lead.x, t2 + t1);
  let r_lo = r.y + lead.y + lg1 * (zz.y + 2.0 * s * s_lo);
  // log(1 + f) = f − hf + s·(hf + R), hf = f²/2 exact.
  let hf = rows_two_prod(f, f) * 0.5;
  let m = rows_two_sum(hf.x, r.x);
  let m_lo = m.y + hf.y + r_lo;
  let c = rows_two_prod(s, m.x);
  let c_lo = c.y + s_lo * m.x + s * m_lo;
  let a = rows_two_sum(f, -hf.x);
  let a2 = rows_two_sum(a.x, c.x);
  let b = rows_two_sum(dk * ln2_hi, a2.x);
  let lo = (((((b.y + a2.y) + a.y) - hf.y) + c_lo) + dk * ln2_lo) + xlo / x;
  return rows_two_sum(b.x, lo);
}
fn rows_log(x: f32) -> f32 {
  return rows_log2(x, 0.0).x;
}
`;

/** Everything above, in dependency order. */
export const ROWS_MATH_WGSL = ROWS_SPECIAL_WGSL + ROWS_DD_WGSL + ROWS_EXPLOG_WGSL;
