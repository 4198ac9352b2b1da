/**
 * Round a JS number to the nearest value representable in a narrower binary
 * floating-point format (round-half-to-even, overflow to ±Infinity).
 *
 * Values that are already exactly representable are returned unchanged, so
 * this is a no-op for correctly decoded element data; it only matters when a
 * caller passes e.g. `1.2` for a float16 element (which MLX stores, and prints,
 * as 1.2001953125 -> "1.2002").
 */

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * @param mantissaBits explicit fraction bits (10 for float16, 7 for bfloat16)
 * @param minExp exponent of the smallest normal number (-14, -126)
 * @param maxExp exponent of the largest finite binade (15, 127)
 */
function roundToBinary(x: number, mantissaBits: number, minExp: number, maxExp: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  // guard against log2 inaccuracy right at powers of two
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  if (e < minExp) e = minExp; // subnormal range shares the smallest normal's spacing
  const ulp = 2 ** (e - mantissaBits);
  const r = roundHalfEven(a / ulp) * ulp;
  const out = r >= 2 ** (maxExp + 1) ? Number.POSITIVE_INFINITY : r;
  return x < 0 ? -out : out;
}

export function roundToFloat16(x: number): number {
  return roundToBinary(x, 10, -14, 15);
}

export function roundToBfloat16(x: number): number {
  return roundToBinary(x, 7, -126, 127);
}

export function roundToFloat32(x: number): number {
  return Math.fround(x);
}
