import { f32, f32Pair, horner, snippet } from "./snippet.js";

const LN2 = Math.LN2;

/** R(w) - 2/3 = 2w/5 + 2w²/7 + ... + 2w^6/15, highest first, divided by w. */
const LOG_TAIL = [2 / 15, 2 / 13, 2 / 11, 2 / 9, 2 / 7, 2 / 5];

/**
 * log(x) for finite x > 0 (subnormals included: the exponent comes from the bits) as a pair
 * accurate to about 2^-38 absolute. x = 2^e·m with m in [√2/2, √2], f = m - 1 exact,
 * s = f/(2 + f) as a pair, log m = 2s + s³·R(s²) with R(w) = 2/3 + 2w/5 + ... (|s| <= 0.1716);
 * s³ and the 2/3 term are carried as pairs, e·ln2 with ln2 split in two.
 */
export const LOG_CORE = snippet(
  "log_core",
  ["df"],
  `
fn nk_log_pos(x: f32) -> vec2<f32> {
  var b = nk_b(x);
  var e: i32 = -127;
  if (b < 0x00800000u) {
    let sh = countLeadingZeros(b) - 8u;
    b = ((b << sh) & 0x7fffffu) | 0x00800000u;
    e = -127 - i32(sh);
  }
  e = e + i32(b >> 23u);
  var m = nk_f((b & 0x7fffffu) | 0x3f800000u);
  if (m > ${f32(Math.SQRT2)}) {
    m = m * 0.5;
    e = e + 1;
  }
  let f = m - 1.0;
  let s = df_divf(vec2<f32>(f, 0.0), df_two_sum(nk_c(2.0), f));
  let w = s.x * s.x;
  let rt = w * (${horner(LOG_TAIL, "w")});
  let s3 = df_mulf(df_mulf(s, s), s);
  let tail = df_mulf(s3, df_addf(${f32Pair(2 / 3)}, vec2<f32>(rt, 0.0)));
  let lm = df_addf(vec2<f32>(2.0 * s.x, 2.0 * s.y), tail);
  let ef = f32(e);
  let ln2 = ${f32Pair(LN2)};
  let le = df_addf(df_two_prod(ef, ln2.x), vec2<f32>(ef * ln2.y, 0.0));
  return df_addf(le, lm);
}
`,
);

/** log: NaN below 0, -inf at ±0, +inf at +inf; a pair argument adds lo/hi. */
export const LOG = snippet(
  "log",
  ["log_core"],
  `
fn df_log(x: vec2<f32>) -> vec2<f32> {
  if (nk_isnan(x.x)) { return vec2<f32>(x.x, 0.0); }
  if (nk_is0(x.x)) { return vec2<f32>(nk_f(0xff800000u), 0.0); }
  if (nk_signbit(x.x)) { return vec2<f32>(nk_nan(), 0.0); }
  if (nk_isinf(x.x)) { return vec2<f32>(x.x, 0.0); }
  let l = nk_log_pos(x.x);
  if (nk_is0(x.y)) { return l; }
  return df_addf(l, vec2<f32>(x.y / x.x, 0.0));
}
`,
);

/** log1p(x) = log of the pair 1 + x (exact); |x| < 2^-25 returns x (±0, subnormals). */
export const LOG1P = snippet(
  "log1p",
  ["log"],
  `
fn df_log1p(x: vec2<f32>) -> vec2<f32> {
  let ax = nk_b(x.x) & 0x7fffffffu;
  if (ax < 0x33000000u || ax > 0x7f800000u) { return x; }
  return df_log(df_addf(vec2<f32>(nk_c(1.0), 0.0), x));
}
`,
);
