import { bitWidth, type FloatFormat, maxFinite } from "./formats.js";

/**
 * Reference rounding and encoding for float32, float16 and bfloat16, written from the format
 * parameters with exact float64 arithmetic (scaling by powers of two, splitting off integer
 * parts), so that it shares nothing with the library's bit-level implementation.
 */

/** floor(log2(a)) for a finite a > 0, exactly (subnormal doubles included). */
export function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  // Math.log2 may be off by one next to powers of two; 2 ** e is exact for every e used here.
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * The value of `format` nearest to the float64 `x` (ties to even), rounding once, straight
 * from float64. Overflow gives ±inf, underflow a signed zero; NaN and ±inf pass through.
 */
export function roundToFormat(format: FloatFormat, x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  const e = Math.max(exponentOf(a), format.minExponent);
  const quantum = 2 ** (e - format.precision + 1);
  const m = a / quantum; // exact: a division by a power of two that neither overflows nor underflows
  const whole = Math.floor(m);
  const frac = m - whole; // exact: m < 2^(precision + 1)
  const n = frac > 0.5 || (frac === 0.5 && whole % 2 === 1) ? whole + 1 : whole;
  const v = n * quantum;
  const r = v > maxFinite(format) ? Number.POSITIVE_INFINITY : v;
  return x < 0 ? -r : r;
}

/** Whether `x` is exactly a value of `format` (NaN and ±inf count). */
export function isRepresentable(format: FloatFormat, x: number): boolean {
  return Number.isNaN(x) || Object.is(roundToFormat(format, x), x);
}

/**
 * The bit pattern of `x`, which must be a value of `format`. NaN encodes as the canonical
 * quiet NaN (exponent all ones, top significand bit set).
 */
export function encodeBits(format: FloatFormat, x: number): number {
  const mantBits = format.precision - 1;
  const expMask = 2 ** format.exponentBits - 1;
  const signBit = 2 ** (bitWidth(format) - 1);
  if (Number.isNaN(x)) return expMask * 2 ** mantBits + 2 ** (mantBits - 1);
  if (!isRepresentable(format, x)) {
    throw new Error(`encodeBits: ${x} is not a ${format.name} value`);
  }
  const sign = x < 0 || Object.is(x, -0) ? signBit : 0;
  const a = Math.abs(x);
  if (a === Number.POSITIVE_INFINITY) return sign + expMask * 2 ** mantBits;
  if (a === 0) return sign;
  const e = exponentOf(a);
  if (e < format.minExponent) {
    return sign + a / 2 ** (format.minExponent - mantBits);
  }
  const bias = 2 ** (format.exponentBits - 1) - 1;
  const significand = a / 2 ** (e - mantBits) - 2 ** mantBits;
  return sign + (e + bias) * 2 ** mantBits + significand;
}

/** The value with bit pattern `bits` in `format`. */
export function decodeBits(format: FloatFormat, bits: number): number {
  const mantBits = format.precision - 1;
  const expMask = 2 ** format.exponentBits - 1;
  const signBit = 2 ** (bitWidth(format) - 1);
  const negative = bits >= signBit;
  const mag = negative ? bits - signBit : bits;
  const expField = Math.floor(mag / 2 ** mantBits);
  const significand = mag - expField * 2 ** mantBits;
  let v: number;
  if (expField === expMask) v = significand === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else if (expField === 0) v = significand * 2 ** (format.minExponent - mantBits);
  else {
    const bias = 2 ** (format.exponentBits - 1) - 1;
    v = (2 ** mantBits + significand) * 2 ** (expField - bias - mantBits);
  }
  return negative ? -v : v;
}

/** The next value of `format` above `x` (x a finite value of the format). */
export function nextUp(format: FloatFormat, x: number): number {
  if (x === 0) return decodeBits(format, 1);
  const b = encodeBits(format, x);
  return x > 0 ? decodeBits(format, b + 1) : decodeBits(format, b - 1);
}

/** The next value of `format` below `x`. */
export function nextDown(format: FloatFormat, x: number): number {
  return -nextUp(format, -x);
}
