import type { SuiteOptions } from "@nnkit/conformance";
import { FLOAT32, float32Bound } from "@nnkit/conformance";
import { array, NnkitError } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { activation, glu } from "../../src/index.js";
import { expectWithinUlp, values } from "./compare.js";
import { activationFixtures } from "./fixtures.js";
import type { UlpTable } from "./ulp-table.js";

/**
 * glu, softmax, logSoftmax and softmin over every axis of one (2, 4, 6) float32 array:
 * 0, 1, 2, -1, -2, -3 and lists of axes (softmax family), against exact values. The array
 * holds a dominant entry and one -inf (which makes softmin's slices through it NaN, as MLX).
 */
export function defineAxisSuite(options: SuiteOptions, table: UlpTable): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;
  const { axes } = activationFixtures();

  describe("activations over any axis of a 3-D array", () => {
    for (const c of axes.cases) {
      it(`${c.fn} over axis ${JSON.stringify(c.axis)}`, async () => {
        const a = activation(c.fn);
        expect(a, `${c.fn} is in ACTIVATIONS`).toBeDefined();
        if (!a) return;
        const x = array(Float32Array.from(axes.x)).reshape(axes.shape);
        const y = a.apply(x, { axis: c.axis });
        try {
          expect(y.shape).toEqual(c.shape);
          expect(y.dtype).toBe("float32");
          const got = await values(y);
          const labels = got.map((_, i) => `output element ${i}`);
          expectWithinUlp(
            `${c.fn} axis ${JSON.stringify(c.axis)}`,
            FLOAT32,
            labels,
            c.y,
            got,
            float32Bound(options, maxUlp),
            (r) => table.record(c.fn, "float32", r),
          );
        } finally {
          x.dispose();
          y.dispose();
        }
      });
    }

    it("glu rejects an odd-sized axis and an out-of-range axis", () => {
      const x = array([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(() => glu(x, -1)).toThrow(NnkitError);
      expect(() => glu(x, 1)).toThrow(NnkitError);
      expect(() => glu(x, 2)).toThrow(NnkitError);
      expect(() => glu(x, -3)).toThrow(NnkitError);
      expect(glu(x, 0).shape).toEqual([1, 3]);
    });
  });
}
