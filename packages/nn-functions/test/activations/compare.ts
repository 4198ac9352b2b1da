import {
  BFLOAT16,
  decodeBits,
  FLOAT16,
  FLOAT32,
  type FloatFormat,
  ulpDistance,
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
  let worst = expected.length > 0 ? 0 : -1;
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(format, expected[i] as number, got[i] as number);
    if (d > maxUlp) {
      maxUlp = d;
      worst = i;
    }
  }
  return { maxUlp, points: expected.length, worst };
}

/** A number with its bit-exact text (-0 shown as -0). */
export function show(v: number | undefined): string {
  if (v === undefined) return "undefined";
  return Object.is(v, -0) ? "-0" : String(v);
}

/**
 * Asserts `got` is within `maxUlp` of `expected`; the failure names the worst input, the
 * expected and obtained values, and how many elements are out of bounds.
 */
export function expectWithinUlp(
  label: string,
  format: FloatFormat,
  inputs: readonly (number | string)[],
  expected: readonly number[],
  got: readonly number[],
  maxUlp: number,
  record?: (report: UlpReport) => void,
): UlpReport {
  expect(got.length, `${label}: number of results`).toBe(expected.length);
  const report = ulpReport(format, expected, got);
  record?.(report);
  if (report.maxUlp > maxUlp) {
    const bad = expected.filter((e, i) => ulpDistance(format, e, got[i] as number) > maxUlp).length;
    const w = report.worst;
    const input = inputs[w];
    expect.fail(
      `${label}: ${bad} of ${report.points} results further than ${maxUlp} ulp (${format.name}); ` +
        `worst at [${w}] input ${typeof input === "number" ? show(input) : input}: ` +
        `expected ${show(expected[w])}, got ${show(got[w])} (${report.maxUlp} ulp)`,
    );
  }
  return report;
}
