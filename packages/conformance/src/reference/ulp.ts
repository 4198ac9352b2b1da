import { bitWidth, FLOAT32, type FloatFormat } from "./formats.js";
import { encodeBits } from "./round.js";

/**
 * Error in units of the last place, counted as the number of representable values between
 * the expected and the obtained result: 0 when they are the same value (+0 and -0 are the
 * same), 1 for neighbours, across the subnormal range and between signs as well.
 * NaN matches only NaN, an infinity only the infinity of the same sign; any other mismatch
 * involving NaN or an infinity is `Infinity`.
 */
export function ulpDistance(format: FloatFormat, expected: number, got: number): number {
  const expectedNaN = Number.isNaN(expected);
  const gotNaN = Number.isNaN(got);
  if (expectedNaN || gotNaN) return expectedNaN && gotNaN ? 0 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(expected) || !Number.isFinite(got)) {
    return expected === got ? 0 : Number.POSITIVE_INFINITY;
  }
  return Math.abs(ordinal(format, expected) - ordinal(format, got));
}

/** The float32 case of `ulpDistance`. */
export function ulpDistanceFloat32(expected: number, got: number): number {
  return ulpDistance(FLOAT32, expected, got);
}

/** Position of a finite value among all values of its format, with ±0 at 0. */
function ordinal(format: FloatFormat, x: number): number {
  const bits = encodeBits(format, x);
  const signBit = 2 ** (bitWidth(format) - 1);
  return bits >= signBit ? -(bits - signBit) : bits;
}
