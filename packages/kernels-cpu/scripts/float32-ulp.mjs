// Shared by the accuracy scripts and experiments: float32 error measured in fractional ulps of
// a float64 reference value (conformance's ulpDistanceFloat32 counts whole float32 steps
// between two float32 values instead).

/** The float32 ulp at |r|: the spacing of float32 in r's binade (2^-149 below the normals). */
export function ulpAt(r) {
  const a = Math.abs(r);
  if (a < 2 ** -126) return 2 ** -149;
  // Math.log2 may round up to the next integer just below a power of two: correct the binade.
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}
