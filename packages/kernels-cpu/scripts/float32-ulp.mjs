// Shared by the accuracy scripts and experiments: float32 error measured in fractional ulps of
// a float64 reference value (conformance's ulpDistanceFloat32 counts whole float32 steps
// between two float32 values instead).

const word = new Float64Array(1);
const high = new Uint32Array(word.buffer, 4, 1); // little-endian: the sign, exponent, top bits
/** 2^k at POW2[k + 1100] for every k a double's binade minus 23 can take. */
const POW2 = Float64Array.from({ length: 2200 }, (_, i) => 2 ** (i - 1100));

/**
 * The float32 ulp at |r|: the spacing of float32 in r's binade (2^-149 below the normals).
 * The binade is read off the double's exponent field (no Math.log2, which may round up to the
 * next integer just below a power of two, and is slow: the comparison calls this per element).
 */
export function ulpAt(r) {
  const a = Math.abs(r);
  if (a < 2 ** -126) return 2 ** -149;
  if (!Number.isFinite(a)) return a; // +inf or NaN (the check caps infinities before calling)
  word[0] = a;
  const e = (high[0] >>> 20) - 1023;
  return POW2[e - 23 + 1100];
}
