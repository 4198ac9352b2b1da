import { array, type DType, type Array as NdArray, NnkitError } from "@nnkit/core";
import { expect } from "vitest";
import {
  describeUlpBound,
  type UlpBound,
  type UlpCheck,
  type UlpReport,
  ulpReport,
} from "../../reference/compare.js";
import { describeFloat } from "../../reference/describe.js";
import { type FloatFormat, FORMATS } from "../../reference/formats.js";
import { decodeBits, isRepresentable } from "../../reference/round.js";

/** Shared plumbing of the elementwise suites: uploading inputs, reading and judging results. */

export type FloatDType = "float32" | "float16" | "bfloat16";

const STORAGE: Record<DType, string> = {
  float32: "Float32Array",
  float16: "Uint16Array",
  bfloat16: "Uint16Array",
  int32: "Int32Array",
  uint32: "Uint32Array",
  bool: "Uint8Array",
};

/**
 * The elements of `x` as numbers, read with `await x.data()` after checking that `x` has
 * `dtype` and that `data()` returned that dtype's storage. float16/bfloat16 bit patterns are
 * decoded by the suite's own decoder; bool elements are 0/1.
 */
export async function read(x: NdArray, dtype: DType): Promise<number[]> {
  expect(x.dtype, "result dtype").toBe(dtype);
  const raw = await x.data();
  expect(raw.constructor.name, `data() storage of a ${dtype} array`).toBe(STORAGE[dtype]);
  expect(raw.length, "number of elements").toBe(x.size);
  if (dtype === "float16" || dtype === "bfloat16") {
    const f = FORMATS[dtype];
    return Array.from(raw, (b) => decodeBits(f, b));
  }
  if (dtype === "bool") {
    for (const v of raw) expect([0, 1], "bool elements are 0 or 1").toContain(v);
  }
  return Array.from(raw);
}

/** A 1-d array of exact `dtype` values (throws if one is not a value of the type: a test bug). */
export function floatArray(dtype: FloatDType, values: readonly number[]): NdArray {
  const f = FORMATS[dtype];
  for (const v of values) {
    if (!isRepresentable(f, v)) throw new Error(`test input ${v} is not a ${dtype} value`);
  }
  return dtype === "float32" ? array(Float32Array.from(values)) : array([...values], dtype);
}

/** Label text for one input value of `dtype`. */
export function show(dtype: DType, v: number): string {
  if (dtype === "float32" || dtype === "float16" || dtype === "bfloat16") {
    return describeFloat(FORMATS[dtype], v);
  }
  return Object.is(v, -0) ? "-0" : String(v);
}

/** `op(a, b, ...)` with every argument shown exactly. */
export function callLabel(op: string, dtype: DType, args: readonly number[]): string {
  return `${op}(${args.map((a) => show(dtype, a)).join(", ")})`;
}

const ulpLog = typeof process !== "undefined" && process.env?.NNKIT_ULP_REPORT;

/**
 * Asserts every check is within `bound` of `format` (ulps, or ulps plus a relative tolerance:
 * see `UlpBound`); the failure lists the worst elements with their inputs, expected and
 * obtained values. Set NNKIT_ULP_REPORT=1 to print the largest error of every check group.
 */
export function expectUlp(
  what: string,
  format: FloatFormat,
  checks: readonly UlpCheck[],
  bound: number | UlpBound,
): UlpReport {
  const report = ulpReport(format, checks, bound);
  if (ulpLog) {
    const tolerated = report.tolerated > 0 ? `, ${report.tolerated} within the tolerance only` : "";
    console.log(
      `[ulp] ${what}: max ${report.maxUlp} ulp over ${report.checked} (max scaled error ${report.maxScaledError.toExponential(2)}${tolerated})`,
    );
  }
  expect(
    report.failures,
    `${what}: ${report.failures.length > 0 ? "elements" : "no element"} outside ${describeUlpBound(bound)} (max ${report.maxUlp} ulp)`,
  ).toEqual([]);
  return report;
}

/** An exact expectation: a number (NaN matches NaN, zeros must match in sign) or "±0". */
export type Exact = number | "±0";

/**
 * Asserts exact results. `expected` "±0" accepts either zero; any other zero must have the
 * expected sign, NaN matches any NaN.
 */
export function expectExact(
  what: string,
  dtype: DType,
  rows: readonly { label: string; expected: Exact; got: number }[],
): void {
  const bad = rows
    .filter((r) => (r.expected === "±0" ? r.got !== 0 : !Object.is(r.got, r.expected)))
    .map(
      (r) =>
        `${r.label}: expected ${r.expected === "±0" ? "±0" : show(dtype, r.expected)}, got ${show(dtype, r.got)}`,
    );
  expect(bad, `${what}: wrong results`).toEqual([]);
}

/** Checks `fn` throws an NnkitError whose message matches `pattern`. */
export function expectNnkitError(fn: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "an NnkitError was thrown").toBeInstanceOf(NnkitError);
  expect((error as Error).message).toMatch(pattern);
}
