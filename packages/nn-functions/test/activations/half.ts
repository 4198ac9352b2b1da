import { itWithDtypes, roundToFormat, type SuiteOptions } from "@nnkit/conformance";
import { array, type DType } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS } from "../../src/index.js";
import { describeParams } from "./accuracy-float32.js";
import { expectWithinUlp, formatOf, values } from "./compare.js";
import { activationFixtures } from "./fixtures.js";
import { outputShape, rowLabels } from "./rows.js";
import type { UlpTable } from "./ulp-table.js";

/** Half inputs are computed in higher precision and rounded once: at most 1 ulp of the output. */
const HALF_MAX_ULP = 1;

/**
 * float16 and bfloat16 inputs against the exact value rounded once to the output type. The
 * fixture holds the exact value as a round-to-odd float64, which the suite's reference
 * rounding (not the library's) turns into the correctly rounded half (or float32 for prelu
 * with its float32 alpha; step's 0/1 for int32).
 */
export function defineHalfAccuracySuite(options: SuiteOptions, table: UlpTable): void {
  const fx = activationFixtures();

  for (const dtype of ["float16", "bfloat16"] as const) {
    const part = fx.half[dtype];
    describe(`activation accuracy on ${dtype} inputs (exact fixtures)`, () => {
      it("the fixtures cover every activation", () => {
        const missing = ACTIVATIONS.filter(
          (a) => ![...part.cases, ...part.rows].some((c) => c.fn === a.name),
        ).map((a) => a.name);
        expect(missing).toEqual([]);
      });

      for (const a of ACTIVATIONS) {
        for (const c of part.cases.filter((k) => k.fn === a.name)) {
          const out = (c.out ?? dtype) as DType;
          itWithDtypes(
            options,
            [dtype],
            `${a.name} (${describeParams(c.params)}) on ${c.x.length} ${dtype} inputs gives ${out} within ${HALF_MAX_ULP} ulp`,
            async () => {
              const x = array(c.x, dtype);
              const y = a.apply(x, c.params);
              try {
                expect(y.dtype).toBe(out);
                expect(y.shape).toEqual([c.x.length]);
                const f = formatOf(out);
                const expected = c.y.map((v) => roundToFormat(f, v));
                const got = await values(y);
                expectWithinUlp(`${a.name} ${dtype}`, f, c.x, expected, got, HALF_MAX_ULP, (r) =>
                  table.record(a.name, dtype, r),
                );
              } finally {
                x.dispose();
                y.dispose();
              }
            },
          );
        }
        for (const r of part.rows.filter((k) => k.fn === a.name)) {
          itWithDtypes(
            options,
            [dtype],
            `${a.name} on ${r.shape.join("x")} ${dtype} rows keeps ${dtype}, within ${HALF_MAX_ULP} ulp`,
            async () => {
              const x = array(r.x, dtype).reshape(r.shape);
              const y = a.apply(x, r.params);
              try {
                expect(y.dtype).toBe(dtype);
                expect(y.shape).toEqual(outputShape(r.fn, r.shape));
                const f = formatOf(dtype);
                const expected = r.y.map((v) => roundToFormat(f, v));
                const got = await values(y);
                expectWithinUlp(
                  `${a.name} ${dtype} rows`,
                  f,
                  rowLabels(r),
                  expected,
                  got,
                  HALF_MAX_ULP,
                  (rep) => table.record(a.name, dtype, rep),
                );
              } finally {
                x.dispose();
                y.dispose();
              }
            },
          );
        }
      }
    });
  }
}
