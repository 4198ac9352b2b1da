/**
 * Host-side references for the structure suites, computed in plain float64 JavaScript and
 * never through nnkit, so that a test's expected values cannot come from the code under test.
 */

export const f32 = Math.fround;

/** A row-major array held on the host: what a test expects an nnkit array to contain. */
export interface HostArray {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Multi-index of row-major position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx[d] = rest % n;
    rest = Math.floor(rest / n);
  }
  return idx;
}

/** Row-major position of multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((pos, i, d) => pos * (shape[d] as number) + i, 0);
}

/** `out[i0, i1, ...] = x[i_perm^-1...]`: NumPy's transpose, by index bookkeeping. */
export function hostTranspose(x: HostArray, perm: readonly number[]): HostArray {
  const shape = perm.map((p) => x.shape[p] as number);
  const values = Array.from({ length: sizeOf(shape) }, (_, flat) => {
    const outIdx = unravel(flat, shape);
    const inIdx = new Array<number>(x.shape.length).fill(0);
    perm.forEach((p, d) => {
      inIdx[p] = outIdx[d] as number;
    });
    return x.values[ravel(inIdx, x.shape)] as number;
  });
  return { shape, values };
}

/** The element of `x` that NumPy broadcasting reads for output index `outIdx`. */
export function broadcastRead(x: HostArray, outIdx: readonly number[]): number {
  const lead = outIdx.length - x.shape.length;
  const idx = x.shape.map((d, k) => (d === 1 ? 0 : (outIdx[lead + k] as number)));
  return x.values[ravel(idx, x.shape)] as number;
}

/**
 * Groups the elements of `x` by their position with `axis` removed and combines each group.
 * `axis` follows the reductions' convention: undefined means every axis; negatives count back.
 */
export function hostReduce(
  x: HostArray,
  axis: number | readonly number[] | undefined,
  keepdims: boolean,
  combine: (group: number[]) => number,
): HostArray {
  const ndim = x.shape.length;
  const list =
    axis === undefined ? x.shape.map((_, i) => i) : typeof axis === "number" ? [axis] : axis;
  const reduced = new Set(list.map((a) => (a < 0 ? a + ndim : a)));
  const kept = x.shape.flatMap((d, i) => (reduced.has(i) ? [] : [d]));
  const groups: number[][] = Array.from({ length: sizeOf(kept) }, () => []);
  x.values.forEach((v, flat) => {
    const idx = unravel(flat, x.shape).filter((_, d) => !reduced.has(d));
    (groups[ravel(idx, kept)] as number[]).push(v);
  });
  const shape = keepdims ? x.shape.map((d, i) => (reduced.has(i) ? 1 : d)) : kept;
  return { shape, values: groups.map(combine) };
}

/**
 * Float64 references for float32 data. The fixtures keep every exact sum within float64's 53
 * bits, so these are the exactly rounded float32 results.
 */
export const combine = {
  sum: (g: number[]) => f32(g.reduce((s, v) => s + v, 0)),
  mean: (g: number[]) => f32(g.reduce((s, v) => s + v, 0) / g.length),
  max: (g: number[]) => (g.some(Number.isNaN) ? Number.NaN : f32(Math.max(...g))),
  min: (g: number[]) => (g.some(Number.isNaN) ? Number.NaN : f32(Math.min(...g))),
  logsumexp: (g: number[]) => {
    if (g.some(Number.isNaN)) return Number.NaN;
    const m = Math.max(...g);
    if (!Number.isFinite(m)) return m;
    return f32(m + Math.log(g.reduce((s, v) => s + Math.exp(v - m), 0)));
  },
} as const;

const ulpScratch = new Float32Array(1);
const ulpBits = new Int32Array(ulpScratch.buffer);

/** float32 bit pattern mapped to a line where neighbouring floats differ by 1 (and -0 = +0). */
function orderedF32(v: number): number {
  ulpScratch[0] = v;
  const bits = ulpBits[0] as number;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/**
 * Distance in float32 ulps; NaN is equal only to NaN and infinities only to themselves.
 * `expected` is rounded to float32 first.
 */
export function ulpDistanceF32(actual: number, expected: number): number {
  if (Number.isNaN(actual) || Number.isNaN(expected)) {
    return Number.isNaN(actual) && Number.isNaN(expected) ? 0 : Number.POSITIVE_INFINITY;
  }
  const e = f32(expected);
  if (actual === e) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
  return Math.abs(orderedF32(actual) - orderedF32(e));
}
