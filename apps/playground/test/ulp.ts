/** Float32 ulp distance and the bounds the browser test holds the page to. */

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Position of a float32 on a line where neighbouring float32 values are 1 apart. */
function ordinal(v: number): number {
  f32[0] = v;
  const b = i32[0] as number;
  return b < 0 ? -(b & 0x7fffffff) : b;
}

/** Float32 values between a and b (0 for equal values and for ±0). */
export function ulps(a: number, b: number): number {
  return Math.abs(ordinal(a) - ordinal(b));
}

/**
 * Whether the chart's value `plotted` stands for the library's `expected`: the chart draws
 * nothing (null) exactly where the library's value is not finite; otherwise within `maxUlp`,
 * or, when given, |difference| ≤ relative · max(1, |expected|).
 */
export function matches(
  plotted: number | null | undefined,
  expected: number,
  maxUlp: number,
  relative = 0,
): boolean {
  if (!Number.isFinite(expected)) return plotted === null;
  if (plotted === null || plotted === undefined) return false;
  if (ulps(plotted, expected) <= maxUlp) return true;
  return Math.abs(plotted - expected) <= relative * Math.max(1, Math.abs(expected));
}
