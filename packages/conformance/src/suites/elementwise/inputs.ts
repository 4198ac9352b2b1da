import {
  FLOAT32,
  type FloatFormat,
  maxFinite,
  minNormal,
  minSubnormal,
} from "../../reference/formats.js";
import { decodeBits, roundToFormat } from "../../reference/round.js";

/** Deterministic inputs for the elementwise suites (the same on every run and backend). */

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const F32_MAX = maxFinite(FLOAT32);
export const F32_TINY = minSubnormal(FLOAT32);
export const F32_MIN_NORMAL = minNormal(FLOAT32);
export const INF = Number.POSITIVE_INFINITY;

/** Values covering every special class of a float type, in both signs. */
export function specials(format: FloatFormat): number[] {
  const tiny = minSubnormal(format);
  const normal = minNormal(format);
  const max = maxFinite(format);
  return [
    Number.NaN,
    INF,
    -INF,
    0,
    -0,
    tiny,
    -tiny,
    normal,
    -normal,
    max,
    -max,
    1,
    -1,
    0.5,
    -2.5,
    3,
  ];
}

/**
 * `perBinade` values with each binary exponent of `format`, from the smallest subnormal to the
 * largest finite value, in both signs: the first is the power of two, the rest random.
 */
export function binadeSweep(format: FloatFormat, perBinade: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  const lo = format.minExponent - format.precision + 1;
  const out: number[] = [];
  for (let e = lo; e <= format.maxExponent; e++) {
    for (let k = 0; k < perBinade; k++) {
      const v = Math.min(
        roundToFormat(format, (k === 0 ? 1 : 1 + rnd()) * 2 ** e),
        maxFinite(format),
      );
      out.push(v, -v);
    }
  }
  return out;
}

/** `n` random finite values of `format`, drawn uniformly over bit patterns (all magnitudes). */
export function randomBitPatterns(format: FloatFormat, n: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  const width = format.exponentBits + format.precision;
  const out: number[] = [];
  while (out.length < n) {
    const v = decodeBits(format, Math.floor(rnd() * 2 ** width));
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** `n` values of `format` uniform in [lo, hi). */
export function uniform(
  format: FloatFormat,
  n: number,
  lo: number,
  hi: number,
  seed: number,
): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => roundToFormat(format, lo + (hi - lo) * rnd()));
}

/** `n` values of `format` with random sign, significand and binary exponent in [eLo, eHi]. */
export function randomMagnitudes(
  format: FloatFormat,
  n: number,
  eLo: number,
  eHi: number,
  seed: number,
): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const e = eLo + Math.floor(rnd() * (eHi - eLo + 1));
    const v = roundToFormat(format, (1 + rnd()) * 2 ** e);
    return rnd() < 0.5 ? -v : v;
  });
}

/** Every pair (a, b) of the two lists. */
export function allPairs(as: readonly number[], bs: readonly number[]): [number, number][] {
  return as.flatMap((a) => bs.map((b): [number, number] => [a, b]));
}

/** Pairs (xs[i], ys[i]). */
export function zip(xs: readonly number[], ys: readonly number[]): [number, number][] {
  return xs.map((x, i): [number, number] => [x, ys[i] as number]);
}
