import { snippet } from "./snippet.js";

/**
 * Values with a separate exponent, NkSc = (m.x + m.y) · 2^e with m a pair near 1, for chains of
 * products and quotients: a fused x·erfc(-x/√2)·0.5 or x·min(x + 3, 6)/6 must not overflow in
 * the middle when the result is finite (the CPU's float64 does not), and x·sigmoid(x) far in
 * the tail must not lose the gate's precision to the subnormal range before the product. The
 * chain is rounded once, by nk_sc_out. Zeros, infinities and NaN travel in m with e = 0, so
 * IEEE special results (0·inf = NaN, x/0 = inf) come out unchanged.
 *
 * The *_sc functions give exp, sigmoid, erfc, logaddexp and tanh in this form where their
 * results are tiny (they would otherwise be rounded to the subnormal grid, or to 0).
 */
export const SCALED = snippet(
  "scaled",
  ["df"],
  `
struct NkSc { m: vec2<f32>, e: i32 }
fn nk_sc(x: vec2<f32>) -> NkSc {
  let b = nk_b(x.x);
  let a = b & 0x7fffffffu;
  if (a == 0u || a >= 0x7f800000u) { return NkSc(x, 0); }
  if (a < 0x00800000u) {
    let sh = countLeadingZeros(a) - 8u;
    return NkSc(vec2<f32>(nk_f((b & 0x80000000u) | 0x3f800000u | ((a << sh) & 0x7fffffu)), 0.0), -126 - i32(sh));
  }
  let e = i32(a >> 23u) - 127;
  return NkSc(vec2<f32>(nk_f((b & 0x807fffffu) | 0x3f800000u), nk_ldexp(x.y, -e)), e);
}
fn nk_sc_mul(a: NkSc, b: NkSc) -> NkSc { return NkSc(df_mulf(a.m, b.m), a.e + b.e); }
fn nk_sc_div(a: NkSc, b: NkSc) -> NkSc { return NkSc(df_divf(a.m, b.m), a.e - b.e); }
fn nk_sc_out(a: NkSc) -> vec2<f32> {
  if (!nk_finite(a.m.x) || nk_is0(a.m.x)) { return vec2<f32>(a.m.x, 0.0); }
  let h = nk_ldexp2(a.m.x, a.m.y, a.e);
  if ((nk_b(h) & 0x7f800000u) == 0u || !nk_finite(h)) { return vec2<f32>(h, 0.0); }
  return vec2<f32>(h, nk_ldexp(a.m.y, a.e));
}
`,
);

export const EXP_SC = snippet(
  "exp_sc",
  ["scaled", "exp_core"],
  `
fn df_exp_sc(x: vec2<f32>) -> NkSc {
  if (nk_isnan(x.x)) { return NkSc(x, 0); }
  if (x.x > 170.0) { return NkSc(vec2<f32>(nk_inf(), 0.0), 0); }
  if (x.x < -170.0) { return NkSc(vec2<f32>(0.0, 0.0), 0); }
  let c = nk_exp_core(x.x, x.y);
  return NkSc(c.m, c.k);
}
`,
);

export const SIGMOID_SC = snippet(
  "sigmoid_sc",
  ["exp_sc", "sigmoid"],
  `
// below -60, sigmoid(x) = e^x·(1 - e^x + ...) is e^x to 2^-86
fn df_sigmoid_sc(x: vec2<f32>) -> NkSc {
  if (x.x < -60.0) { return df_exp_sc(x); }
  return nk_sc(df_sigmoid(x));
}
`,
);

export const ERFC_SC = snippet(
  "erfc_sc",
  ["scaled", "erfc"],
  `
fn df_erfc_sc(x: vec2<f32>) -> NkSc {
  if (x.x >= 10.5) { return NkSc(vec2<f32>(0.0, 0.0), 0); }
  if (x.x >= 9.0) {
    let c = nk_erfc_tail_core(x);
    return NkSc(c.m, c.k);
  }
  return nk_sc(df_erfc(x));
}
`,
);

export const LOGADDEXP_SC = snippet(
  "logaddexp_sc",
  ["exp_sc", "logaddexp"],
  `
// logaddexp(0, d) = log1p(e^d) is e^d to 2^-41 below d = -40 (softplus of very negative x)
fn df_logaddexp_sc(a: vec2<f32>, b: vec2<f32>) -> NkSc {
  if (!nk_isnan(a.x) && !nk_isnan(b.x)) {
    let a_big = df_lt(b, a);
    let hi = select(b, a, a_big);
    let lo = select(a, b, a_big);
    if (nk_is0(hi.x) && !nk_isinf(lo.x)) {
      let d = df_subf(lo, hi);
      if (d.x < -40.0) { return df_exp_sc(d); }
    }
  }
  return nk_sc(df_logaddexp(a, b));
}
`,
);

export const TANH_SC = snippet(
  "tanh_sc",
  ["scaled", "tanh"],
  `
// tanh(x) = x(1 - x²/3 + ...) is x to 2^-41 below 2^-20
fn df_tanh_sc(s: NkSc) -> NkSc {
  if (s.e < -20 && !nk_is0(s.m.x)) { return s; }
  return nk_sc(df_tanh(nk_sc_out(s)));
}
`,
);
