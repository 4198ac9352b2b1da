import {
  abs,
  add,
  evaluate,
  exp,
  getStats,
  log1p,
  maximum,
  multiply,
  type Array as NdArray,
  negative,
  sigmoid,
  tanh,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { float32Bound, itWithDtypes, type SuiteOptions } from "../../context.js";
import { fixtureNames, fixtureRegions } from "../../reference/fixture.js";
import { FORMATS } from "../../reference/formats.js";
import { roundToFormat } from "../../reference/round.js";
import { callLabel, expectExact, expectUlp, type FloatDType, floatArray, read } from "./check.js";
import { halfUlpBound } from "./half.js";

/**
 * Fusion must not change answers: a chain of elementwise ops evaluated as one kernel equals its
 * exact value rounded once to the output type (the fixture's chains), and the targeted cases
 * below tell one rounding from several.
 */

/** The chains in the fixture, by name, written with core ops. */
const CHAINS: Readonly<Record<string, (x: NdArray) => NdArray>> = {
  "tanh(exp(x)*0.5)+1": (x) => add(tanh(multiply(exp(x), 0.5)), 1),
  "x*sigmoid(x)": (x) => multiply(x, sigmoid(x)),
  "maximum(x,0)+log1p(exp(-abs(x)))": (x) => add(maximum(x, 0), log1p(exp(negative(abs(x))))),
};

const DTYPES: readonly FloatDType[] = ["float32", "float16", "bfloat16"];

/** Evaluates `y` and returns how many kernels that launched on `backend`. */
async function launches(backend: string, y: NdArray): Promise<number> {
  const before = getStats().kernelLaunchesByBackend[backend] ?? 0;
  await evaluate(y);
  return (getStats().kernelLaunchesByBackend[backend] ?? 0) - before;
}

export function defineFusionSuite(options: SuiteOptions): void {
  const bound32 = options.maxUlpFloat32 ?? 1;
  // A chain's float64 intermediate can itself fall exactly on a half-type midpoint (x·σ(x) at the
  // smallest bfloat16 subnormal is 2^-134 in float64, just above it exactly), so even a backend
  // that rounds once is only promised 1 half ulp on chains; single ops are held to `halfUlpBound`.
  const boundHalf = Math.max(halfUlpBound(options), 1);
  const roundsOnce = bound32 <= 1;

  describe("fused chains", () => {
    it("the fixture's chains are the ones defined here", () => {
      for (const dtype of DTYPES)
        expect(fixtureNames(dtype, "chain").sort()).toEqual(Object.keys(CHAINS).sort());
    });

    for (const dtype of DTYPES) {
      const bound = dtype === "float32" ? bound32 : boundHalf;
      for (const [name, chain] of Object.entries(CHAINS)) {
        itWithDtypes(
          options,
          [dtype],
          `${dtype} ${name}: one kernel, within ${bound} ulp of the exact value rounded once`,
          async () => {
            const cases = fixtureRegions(dtype, "chain", name).flatMap((r) =>
              r.cases.map((c) => ({
                region: r.region,
                x: c.args[0] as number,
                expected: c.expected,
              })),
            );
            const x = floatArray(
              dtype,
              cases.map((c) => c.x),
            );
            await evaluate(x);
            const y = chain(x);
            expect(await launches(options.backend, y), "kernels launched for the chain").toBe(1);
            const got = await read(y, dtype);
            expectUlp(
              `${name} ${dtype}`,
              FORMATS[dtype],
              cases.map((c, i) => ({
                label: `${callLabel(name, dtype, [c.x])} [${c.region}]`,
                expected: c.expected,
                got: got[i] as number,
              })),
              dtype === "float32" ? float32Bound(options) : bound,
            );
          },
        );
      }
    }

    // a + b + c where a + b is exactly a rounding midpoint of the type and c tips it upward:
    // rounded once the sum goes up; rounding a + b first (to the type, or to float32 for the
    // half types) lands on the midpoint and ties to even, downward.
    const tieBreakers: readonly (readonly [FloatDType, number, number, number])[] = [
      ["float32", 1, 2 ** -24, 2 ** -40],
      ["float16", 1024, 0.5, 2 ** -24],
      ["bfloat16", 1, 2 ** -8, 2 ** -40],
    ];
    for (const [dtype, a, b, c] of tieBreakers) {
      itWithDtypes(
        options,
        [dtype],
        `${dtype} (${a} + ${b}) + ${c} fused rounds once${roundsOnce ? "" : " (within 1 ulp on this backend)"}`,
        async () => {
          const f = FORMATS[dtype];
          const [x, y, z] = [a, b, c].map((v) => floatArray(dtype, [v, -v]));
          const sum = add(add(x as NdArray, y as NdArray), z as NdArray);
          const got = await read(sum, dtype);
          const exact = roundToFormat(f, a + b + c);
          expect(exact, "test setup: the exact sum rounds up").toBeGreaterThan(a + b);
          if (roundsOnce) {
            expectExact(`${dtype} fused sum`, dtype, [
              { label: `(${a} + ${b}) + ${c}`, expected: exact, got: got[0] as number },
              { label: `(${-a} + ${-b}) + ${-c}`, expected: -exact, got: got[1] as number },
            ]);
          } else {
            expectUlp(
              `${dtype} fused sum`,
              f,
              [
                { label: `(${a} + ${b}) + ${c}`, expected: exact, got: got[0] as number },
                { label: `(${-a} + ${-b}) + ${-c}`, expected: -exact, got: got[1] as number },
              ],
              1,
            );
          }
        },
      );
    }

    it("an evaluated intermediate is an input like any other: results agree with its stored value", async () => {
      const xs = [0.1, 0.7, 1.3, -2.2, 5.5, 20].map((v) => roundToFormat(FORMATS.float32, v));
      const x = floatArray("float32", xs);
      const e = exp(x);
      const stored = await read(e, "float32");
      const got = await read(add(tanh(multiply(e, 0.5)), 1), "float32");
      expectUlp(
        "tanh(stored exp(x) * 0.5) + 1",
        FORMATS.float32,
        xs.map((v, i) => ({
          label: `x=${v}`,
          // exact enough in float64: tanh of a float32 value, one rounding at the end
          expected: roundToFormat(FORMATS.float32, Math.tanh((stored[i] as number) * 0.5) + 1),
          got: got[i] as number,
        })),
        float32Bound(options),
      );
    });
  });
}
