/**
 * Distance between two doubles counted in representable doubles ("ulps"), for accuracy tests.
 *
 * Every double is mapped to its position on the ordered line of doubles (-0 and +0 share
 * position 0, the largest finite double is followed by Infinity), so the distance is exact across
 * binade boundaries, across zero, and into the subnormals. NaN is at distance 0 from NaN and
 * infinitely far from everything else; +-Infinity are one step beyond the largest finite double
 * of the same sign.
 */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** Position of x on the ordered line of doubles (+0 and -0 are both 0). */
export function orderedIndex(x: number): bigint {
  f64[0] = x;
  const b = i64[0] as bigint;
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

/** Number of representable doubles between a and b (0 when equal; NaN equals only NaN). */
export function ulpDistance(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : Number.POSITIVE_INFINITY;
  if (a === b) return 0;
  const d = orderedIndex(a) - orderedIndex(b);
  return Number(d < 0n ? -d : d);
}

/** The next double above x (x finite or -Infinity). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return 2 ** -1074;
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (x > 0 ? 1n : -1n);
  return f64[0] as number;
}

/** The next double below x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
