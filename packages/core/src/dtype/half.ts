/**
 * float16 (IEEE binary16) and bfloat16 conversions.
 *
 * Method: encoding reads the two 32-bit words of the float64 (through a shared scratch
 * Float64Array/Uint32Array pair, or a Uint32Array view of a whole Float64Array in the bulk path)
 * and rounds the 52-bit significand straight to the target width with round-to-nearest-even,
 * using the low word only as a sticky bit. Rounding directly from float64 -- not through float32,
 * as `Math.fround` or a Float32Array store followed by truncation would -- avoids double-rounding
 * errors at midpoints. Carries out of the significand propagate into the exponent, so overflow to
 * infinity (float16: |x| >= 65520; bfloat16: |x| >= 2^128 - 2^119) and the subnormal-to-normal
 * step fall out of plain integer arithmetic; subnormal targets shift the significand by the
 * exponent deficit and round on the subnormal grid. NaN encodes as the canonical quiet NaNs 0x7e00
 * / 0x7fc0. Decoding float16 multiplies the integer significand by an exact power of two (bulk
 * decoding uses a lazily built 65536-entry table); decoding bfloat16 is a 16-bit shift into a
 * float32 bit pattern, which is exact. Nothing allocates per element.
 */

const scratchF64 = new Float64Array(1);
const scratchU32 = new Uint32Array(scratchF64.buffer);
const scratchF32 = new Float32Array(1);
const scratchF32Bits = new Uint32Array(scratchF32.buffer);

scratchF64[0] = 1; // 0x3ff00000_00000000: find which 32-bit word holds the sign and exponent
const HI = scratchU32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** 2^(e - 25) for e in [0, 31], exact: the scale of a normal float16 with biased exponent e. */
const F16_SCALE = new Float64Array(32);
for (let e = 0; e < 32; e++) F16_SCALE[e] = 2 ** (e - 25);

/** float16 bits of the float64 with words (hi, lo), rounded to nearest even. */
function f16FromWords(hi: number, lo: number): number {
  const sign = (hi >>> 16) & 0x8000;
  const e = (hi >>> 20) & 0x7ff;
  const mh = hi & 0xfffff;
  if (e === 0x7ff) return (mh | lo) !== 0 ? 0x7e00 : sign | 0x7c00;
  const ue = e - 1023;
  if (ue > 15) return sign | 0x7c00;
  if (ue >= -14) {
    // normal: keep 10 of the 52 significand bits; a carry may bump the exponent (up to inf)
    const m = mh >>> 10;
    const rem = mh & 0x3ff;
    let r = ((ue + 15) << 10) | m;
    if (rem > 0x200 || (rem === 0x200 && (lo !== 0 || (m & 1) !== 0))) r++;
    return sign | r;
  }
  if (ue < -25) return sign; // below half the smallest subnormal (2^-25): +-0
  // subnormal: value / 2^-24 = (2^20 + mh) * 2^(ue + 4), a right shift by 11..21 bits
  const sig = mh | 0x100000;
  const shift = -ue - 4;
  const q = sig >>> shift;
  const rem = sig & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const up = rem > half || (rem === half && (lo !== 0 || (q & 1) !== 0));
  return sign | (up ? q + 1 : q);
}

/** bfloat16 bits of the float64 with words (hi, lo), rounded to nearest even. */
function bf16FromWords(hi: number, lo: number): number {
  const sign = (hi >>> 16) & 0x8000;
  const e = (hi >>> 20) & 0x7ff;
  const mh = hi & 0xfffff;
  if (e === 0x7ff) return (mh | lo) !== 0 ? 0x7fc0 : sign | 0x7f80;
  const ue = e - 1023;
  if (ue > 127) return sign | 0x7f80;
  if (ue >= -126) {
    const m = mh >>> 13;
    const rem = mh & 0x1fff;
    let r = ((ue + 127) << 7) | m;
    if (rem > 0x1000 || (rem === 0x1000 && (lo !== 0 || (m & 1) !== 0))) r++;
    return sign | r;
  }
  if (ue < -134) return sign; // below 2^-134, half the smallest subnormal
  // subnormal: value / 2^-133 = (2^20 + mh) * 2^(ue + 113), a right shift by 14..21 bits
  const sig = mh | 0x100000;
  const shift = -ue - 113;
  const q = sig >>> shift;
  const rem = sig & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  const up = rem > half || (rem === half && (lo !== 0 || (q & 1) !== 0));
  return sign | (up ? q + 1 : q);
}

/** Round a float64 to the nearest float16 (ties to even) and return its 16 bits. */
export function float64ToFloat16Bits(x: number): number {
  scratchF64[0] = x;
  return f16FromWords(scratchU32[HI] as number, scratchU32[LO] as number);
}

/** The float16 with the given bits (low 16 bits used), as a number. */
export function float16BitsToNumber(bits: number): number {
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  let v: number;
  if (e === 0) v = m * 2 ** -24;
  else if (e === 31) v = m === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else v = (m | 0x400) * (F16_SCALE[e] as number);
  return (bits & 0x8000) !== 0 ? -v : v;
}

/** Round a float64 to the nearest bfloat16 (ties to even) and return its 16 bits. */
export function float64ToBfloat16Bits(x: number): number {
  scratchF64[0] = x;
  return bf16FromWords(scratchU32[HI] as number, scratchU32[LO] as number);
}

/** The bfloat16 with the given bits (low 16 bits used), as a number. */
export function bfloat16BitsToNumber(bits: number): number {
  scratchF32Bits[0] = (bits & 0xffff) << 16;
  return scratchF32[0] as number;
}

function checkLength(n: number, m: number): void {
  if (m < n) throw new RangeError(`destination holds ${m} elements, source has ${n}`);
}

/** Encode src[i] to float16 bits in dst[i] for every i < src.length. */
export function encodeFloat16(src: ArrayLike<number>, dst: Uint16Array): void {
  const n = src.length;
  checkLength(n, dst.length);
  if (src instanceof Float64Array) {
    const w = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      dst[i] = f16FromWords(w[j + HI] as number, w[j + LO] as number);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    scratchF64[0] = src[i] as number;
    dst[i] = f16FromWords(scratchU32[HI] as number, scratchU32[LO] as number);
  }
}

/** Encode src[i] to bfloat16 bits in dst[i] for every i < src.length. */
export function encodeBfloat16(src: ArrayLike<number>, dst: Uint16Array): void {
  const n = src.length;
  checkLength(n, dst.length);
  if (src instanceof Float64Array) {
    const w = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      dst[i] = bf16FromWords(w[j + HI] as number, w[j + LO] as number);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    scratchF64[0] = src[i] as number;
    dst[i] = bf16FromWords(scratchU32[HI] as number, scratchU32[LO] as number);
  }
}

let f16Table: Float32Array | null = null;

/** All 65536 float16 values (exact in float32), built on first use. */
function float16Table(): Float32Array {
  if (f16Table === null) {
    const t = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) t[b] = float16BitsToNumber(b);
    f16Table = t;
  }
  return f16Table;
}

/** Decode float16 bits src[i] into dst[i] for every i < src.length (exact). */
export function decodeFloat16(src: Uint16Array, dst: Float32Array | Float64Array): void {
  const n = src.length;
  checkLength(n, dst.length);
  const t = float16Table();
  for (let i = 0; i < n; i++) dst[i] = t[src[i] as number] as number;
}

/** Decode bfloat16 bits src[i] into dst[i] for every i < src.length (exact). */
export function decodeBfloat16(src: Uint16Array, dst: Float32Array | Float64Array): void {
  const n = src.length;
  checkLength(n, dst.length);
  if (dst instanceof Float32Array) {
    const w = new Uint32Array(dst.buffer, dst.byteOffset, n);
    for (let i = 0; i < n; i++) w[i] = (src[i] as number) << 16;
    return;
  }
  for (let i = 0; i < n; i++) {
    scratchF32Bits[0] = (src[i] as number) << 16;
    dst[i] = scratchF32[0] as number;
  }
}
