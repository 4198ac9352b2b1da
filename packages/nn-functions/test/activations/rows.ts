import type { SuiteOptions } from "@nnkit/conformance";
import { FLOAT32, float32Bound } from "@nnkit/conformance";
import { array } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS } from "../../src/index.js";
import { describeParams } from "./accuracy-float32.js";
import { expectWithinUlp, show, values } from "./compare.js";
import { activationFixtures, type RowCase } from "./fixtures.js";
import type { UlpTable } from "./ulp-table.js";

/** Shape of the result: glu halves its axis, the normalisers keep the shape. */
export function outputShape(fn: string, shape: readonly number[], axis = -1): number[] {
  const out = [...shape];
  if (fn === "glu") {
    const ax = axis < 0 ? axis + shape.length : axis;
    out[ax] = (out[ax] as number) / 2;
  }
  return out;
}

/** For failure messages: which row each result belongs to, with the row's first entries. */
export function rowLabels(r: RowCase): string[] {
  const n = r.shape[r.shape.length - 1] as number;
  const perRow = r.fn === "glu" ? n / 2 : n;
  const rows = r.x.length / n;
  const labels: string[] = [];
  for (let i = 0; i < rows; i++) {
    const entries = r.x.slice(i * n, i * n + Math.min(n, 8)).map(show);
    const text = `row ${i} [${entries.join(", ")}${n > 8 ? ", ..." : ""}]`;
    for (let j = 0; j < perRow; j++) labels.push(`${text} entry ${j}`);
  }
  return labels;
}

/**
 * softmax, softmin, logSoftmax and glu on float32 rows (random rows, rows of values near
 * ±1e36, entries 100 apart, one dominant entry, ties, -inf entries, extreme magnitudes), one
 * 2-D array per row length, against exact values rounded once to float32.
 */
export function defineRowAccuracySuite(options: SuiteOptions, table: UlpTable): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;
  const fx = activationFixtures();

  describe("row-wise activation accuracy on float32 (exact fixtures)", () => {
    for (const a of ACTIVATIONS) {
      for (const r of fx.rows.filter((c) => c.fn === a.name)) {
        const shape = outputShape(r.fn, r.shape);
        it(`${a.name} (${describeParams(r.params)}) on ${r.shape.join("x")} float32 rows is within ${maxUlp} ulp`, async () => {
          const x = array(Float32Array.from(r.x)).reshape(r.shape);
          const y = a.apply(x, r.params);
          try {
            expect(y.shape).toEqual(shape);
            expect(y.dtype).toBe("float32");
            const got = await values(y);
            expectWithinUlp(
              `${a.name} rows ${r.shape.join("x")}`,
              FLOAT32,
              rowLabels(r),
              r.y,
              got,
              float32Bound(options, maxUlp),
              (rep) => table.record(a.name, "float32", rep),
            );
          } finally {
            x.dispose();
            y.dispose();
          }
        });
      }
    }
  });
}
