import {
  BFLOAT16,
  decodeBits,
  describeUlpBound,
  FLOAT16,
  FLOAT32,
  type FloatFormat,
  minNormal,
  scaledError,
  toUlpBound,
  type UlpBound,
  ulpDistance,
  withinBound,
} from "@nnkit/conformance";
import type { DType, Array as NdArray } from "@nnkit/core";
import { expect } from "vitest";

/** The format results of `dtype` are compared in (integers are exact float32 values here). */
export function formatOf(dtype: DType): FloatFormat {
  if (dtype === "float16") return FLOAT16;
  if (dtype === "bfloat16") return BFLOAT16;
  return FLOAT32;
}

/**
 * The elements as numbers, read with `await x.data()`: half bit patterns are decoded by the
 * suite's reference decoder, not by the library.
 */
export async function values(x: NdArray): Promise<number[]> {
  const raw = await x.data();
  if (x.dtype === "float16" || x.dtype === "bfloat16") {
    const f = formatOf(x.dtype);
    return Array.from(raw, (b) => decodeBits(f, b));
  }
  return Array.from(raw);
}

export interface UlpReport {
  /** Largest error in ulps of `format` (Infinity for a NaN/inf mismatch). */
  readonly maxUlp: number;
  readonly points: number;
  /** Index of the worst element (-1 when there are none). */
  readonly worst: number;
  /** Largest |got − exact| / max(1, |exact|) (Infinity for a NaN/inf mismatch): the measure of the relative tolerance. */
  readonly maxScaledError: number;
  /**
   * Largest error in ulps over the elements whose exact value is not a subnormal of `format`:
   * separates real inaccuracy from the flushing of subnormal results that WGSL allows.
   */
  readonly maxUlpNormal: number;
}

/**
 * Error of `got` against `expected` in ulps of `format`: NaN equals only NaN, an infinity only
 * the same infinity, +0 and -0 are the same value.
 */
export function ulpReport(
  format: FloatFormat,
  expected: readonly number[],
  got: readonly number[],
): UlpReport {
  let maxUlp = 0;
  let maxUlpNormal = 0;
  let maxScaledError = 0;
  let worst = expected.length > 0 ? 0 : -1;
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(format, expected[i] as number, got[i] as number);
    if (d > maxUlp) {
      maxUlp = d;
      worst = i;
    }
    const exact = Math.abs(expected[i] as number);
    if (!(exact > 0 && exact < minNormal(format)) && d > maxUlpNormal) maxUlpNormal = d;
    const s = scaledError(expected[i] as number, got[i] as number);
    if (s > maxScaledError) maxScaledError = s;
  }
  return { maxUlp, points: expected.length, worst, maxScaledError, maxUlpNormal };
}

/** A number with its bit-exact text (-0 shown as -0). */
export function show(v: number | undefined): string {
  if (v === undefined) return "undefined";
  return Object.is(v, -0) ? "-0" : String(v);
}

/**
 * Asserts `got` is within `bound` of `expected`: a number of ulps, or (float32 results only) ulps
 * or a relative tolerance, |got − exact| ≤ relativeTolerance · max(1, |exact|), where NaN and
 * infinities must match exactly. The failure names the worst input, the expected and obtained
 * values, and how many elements are out of bounds. The recorded report is the measured maximum
 * in ulps, whether or not the tolerance accepted it.
 */
export function expectWithinUlp(
  label: string,
  format: FloatFormat,
  inputs: readonly (number | string)[],
  expected: readonly number[],
  got: readonly number[],
  bound: number | UlpBound,
  record?: (report: UlpReport) => void,
): UlpReport {
  expect(got.length, `${label}: number of results`).toBe(expected.length);
  const report = ulpReport(format, expected, got);
  record?.(report);
  // The tolerance is a float32 promise; half-type results keep their ulp bound.
  const b = format === FLOAT32 ? toUlpBound(bound) : { maxUlp: toUlpBound(bound).maxUlp };
  if (report.maxUlp <= b.maxUlp) return report;
  let bad = 0;
  let worst = -1;
  let worstUlp = -1;
  for (let i = 0; i < expected.length; i++) {
    const r = withinBound(format, expected[i] as number, got[i] as number, b);
    if (r.ok) continue;
    bad++;
    if (r.ulps > worstUlp) {
      worstUlp = r.ulps;
      worst = i;
    }
  }
  if (bad > 0) {
    const input = inputs[worst];
    expect.fail(
      `${label}: ${bad} of ${report.points} results outside ${describeUlpBound(b)} (${format.name}); ` +
        `worst at [${worst}] input ${typeof input === "number" ? show(input) : input}: ` +
        `expected ${show(expected[worst])}, got ${show(got[worst])} (${worstUlp} ulp)`,
    );
  }
  return report;
}
