import type { SuiteOptions } from "@nnkit/conformance";
import { FLOAT32, float32Bound, type UlpBound } from "@nnkit/conformance";
import { array } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type ActivationInfo } from "../../src/index.js";
import { expectWithinUlp, values } from "./compare.js";
import { activationFixtures, type ElementwiseCase, type FixtureParams } from "./fixtures.js";
import type { UlpTable } from "./ulp-table.js";

export const describeParams = (p: FixtureParams): string =>
  Object.keys(p).length === 0 ? "defaults" : JSON.stringify(p);

/** A vector prelu alpha lines up with the last axis: the inputs become (n / k, k). */
function shapeFor(c: ElementwiseCase): number[] {
  const alpha = c.params.alpha;
  const k = Array.isArray(alpha) ? alpha.length : 1;
  return k === 1 ? [c.x.length] : [c.x.length / k, k];
}

/** Fixture cases of `a` run on float32 inputs, one call per case, on every input at once. */
function defineCases(
  a: ActivationInfo,
  cases: readonly ElementwiseCase[],
  bound: UlpBound,
  table: UlpTable,
) {
  const maxUlp = bound.maxUlp;
  for (const c of cases) {
    const shape = shapeFor(c);
    it(`${a.name} (${describeParams(c.params)}) on ${c.x.length} float32 inputs is within ${maxUlp} ulp of the exact value`, async () => {
      const x = array(Float32Array.from(c.x)).reshape(shape);
      const y = a.apply(x, c.params);
      try {
        expect(y.shape).toEqual(shape);
        expect(y.dtype).toBe(a.name === "step" ? "int32" : "float32");
        const got = await values(y);
        expectWithinUlp(
          `${a.name} ${describeParams(c.params)}`,
          FLOAT32,
          c.x,
          c.y,
          got,
          bound,
          (r) => table.record(a.name, "float32", r),
        );
      } finally {
        x.dispose();
        y.dispose();
      }
    });
  }
}

/**
 * Every activation against exact values (mpmath, rounded once to float32) over a dense grid
 * on [-20, 20], log-spaced magnitudes from 2^-149 to the largest float32 of both signs, the
 * exp-like tails, and the neighbours of every kink and of every place where the result
 * underflows, overflows or saturates; for the defaults and non-default parameters.
 */
export function defineFloat32AccuracySuite(options: SuiteOptions, table: UlpTable): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;
  const fx = activationFixtures();

  describe("activation accuracy on float32 (exact fixtures)", () => {
    it("the fixtures cover every activation and a non-default value of every parameter", () => {
      const missing: string[] = [];
      for (const a of ACTIVATIONS) {
        const cases = [...fx.float32, ...fx.rows].filter((c) => c.fn === a.name);
        if (cases.length === 0) missing.push(`${a.name}: no fixture`);
        for (const p of a.params) {
          if (p.kind === "axis") {
            // Axes are covered by the 3-D fixture (every axis, negative ones and lists).
            if (!fx.axes.cases.some((c) => c.fn === a.name)) missing.push(`${a.name}.${p.name}`);
            continue;
          }
          const given = cases.map((c) => c.params[p.name]);
          const nonDefault = given.filter((v) => v !== undefined && v !== p.default);
          if (nonDefault.length === 0) missing.push(`${a.name}.${p.name}: no non-default value`);
          if (p.kind === "array" && !nonDefault.some(Array.isArray)) {
            missing.push(`${a.name}.${p.name}: no vector value`);
          }
        }
        for (const c of cases) {
          for (const k of Object.keys(c.params)) {
            if (!a.params.some((p) => p.name === k))
              missing.push(`${a.name}: unknown parameter ${k}`);
          }
        }
      }
      expect(missing).toEqual([]);
    });

    for (const a of ACTIVATIONS) {
      const cases = fx.float32.filter((c) => c.fn === a.name);
      if (cases.length > 0) defineCases(a, cases, float32Bound(options, maxUlp), table);
    }
  });
}
