/**
 * Distance between two float32 values in units in the last place: how many float32 values lie
 * between them (0 when equal, including +0 and -0). NaN is 0 from NaN and infinitely far from
 * anything else.
 */
const scratch = new Float32Array(1);
const bits = new Int32Array(scratch.buffer);

/** A float32's position on a line where consecutive float32 values are consecutive integers. */
function ordinal(v: number): number {
  scratch[0] = v;
  const b = bits[0] as number;
  return b < 0 ? -(b & 0x7fffffff) : b;
}

export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b) ? 0 : Number.POSITIVE_INFINITY;
  }
  return Math.abs(ordinal(a) - ordinal(b));
}
