import { array, type DType, stopGradient, where } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { FORMATS, minSubnormal } from "../../reference/formats.js";
import { nextUp } from "../../reference/round.js";
import { callLabel, expectExact, type FloatDType, floatArray, read } from "./check.js";
import { allPairs, binadeSweep, randomMagnitudes, specials, zip } from "./inputs.js";
import { BINARY_FNS, COMPARE, COMPARISONS, UNARY_FNS } from "./ops.js";

/** Comparisons, predicates, select and identity: bit-exact everywhere, NaN compares unequal. */

const FLOAT_DTYPES: readonly FloatDType[] = ["float32", "float16", "bfloat16"];

const isInf = (x: number) => x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY;

/** The bool predicates: isnan, isinf and logicalNot (C++ truthiness: NaN is true). */
export const PREDICATES = {
  isnan: Number.isNaN,
  isinf: isInf,
  logicalNot: (x: number) => x === 0,
} as const;

export function definePredicatesSuite(options: SuiteOptions): void {
  describe("comparisons, predicates, where and stopGradient", () => {
    for (const dtype of FLOAT_DTYPES) {
      const itFloat = (title: string, body: () => unknown) =>
        itWithDtypes(options, [dtype], title, body);
      const f = FORMATS[dtype];
      const sp = specials(f);
      const near = randomMagnitudes(f, 200, -8, 8, 401);
      const pairs: [number, number][] = [
        ...allPairs(sp, sp),
        ...zip(
          near,
          near.map((x) => nextUp(f, x)),
        ),
        ...zip(near, near),
        ...zip(near, [...near].reverse()),
        [minSubnormal(f), 0],
        [-minSubnormal(f), -0],
      ];

      for (const op of COMPARISONS) {
        itFloat(
          `${dtype} ${op}: special values, neighbours and equal values (NaN is unordered, -0 == 0)`,
          async () => {
            const got = await read(
              BINARY_FNS[op](
                floatArray(
                  dtype,
                  pairs.map((p) => p[0]),
                ),
                floatArray(
                  dtype,
                  pairs.map((p) => p[1]),
                ),
              ),
              "bool",
            );
            expectExact(
              `${dtype} ${op}`,
              "bool",
              pairs.map(([a, b], i) => ({
                label: callLabel(op, dtype, [a, b]),
                expected: COMPARE[op](a, b) ? 1 : 0,
                got: got[i] as number,
              })),
            );
          },
        );
      }

      for (const [op, ref] of Object.entries(PREDICATES)) {
        itFloat(`${dtype} ${op} over special values and every binade`, async () => {
          const xs = [...sp, ...binadeSweep(f, 1, 402)];
          const got = await read(
            UNARY_FNS[op as keyof typeof PREDICATES](floatArray(dtype, xs)),
            "bool",
          );
          expectExact(
            `${dtype} ${op}`,
            "bool",
            xs.map((x, i) => ({
              label: callLabel(op, dtype, [x]),
              expected: ref(x) ? 1 : 0,
              got: got[i] as number,
            })),
          );
        });
      }

      itFloat(
        `${dtype} where passes values through untouched (NaN, -0, subnormals) and broadcasts`,
        async () => {
          const cond = [true, false, true, false, true, false, true, false];
          const xs = sp.slice(0, 8);
          const ys = sp.slice(8, 16);
          const got = await read(
            where(array(cond), floatArray(dtype, xs), floatArray(dtype, ys)),
            dtype,
          );
          expectExact(
            `${dtype} where`,
            dtype,
            cond.map((c, i) => ({
              label: `where(${c}, ${xs[i]}, ${ys[i]})`,
              expected: (c ? xs[i] : ys[i]) as number,
              got: got[i] as number,
            })),
          );
          // condition (3, 1) against branches (1, 4) and (4,): a (3, 4) result
          const c = array([[true], [false], [true]]);
          const x = floatArray(dtype, [1, -0, 2, 3]).reshape([1, 4]);
          const y = floatArray(dtype, [Number.NaN, 5, 6, 7]);
          const b = await read(where(c, x, y), dtype);
          expect(where(c, x, y).shape).toEqual([3, 4]);
          expectExact(
            `${dtype} where broadcast`,
            dtype,
            [1, -0, 2, 3, Number.NaN, 5, 6, 7, 1, -0, 2, 3].map((e, i) => ({
              label: `element ${i}`,
              expected: e,
              got: b[i] as number,
            })),
          );
        },
      );

      itFloat(`${dtype} stopGradient is the identity, bit for bit`, async () => {
        const xs = [...sp, ...binadeSweep(f, 1, 403)];
        const got = await read(stopGradient(floatArray(dtype, xs)), dtype);
        expectExact(
          `${dtype} stopGradient`,
          dtype,
          xs.map((x, i) => ({
            label: callLabel("stopGradient", dtype, [x]),
            expected: x,
            got: got[i] as number,
          })),
        );
      });
    }

    itWithDtypes(
      options,
      ["float16"],
      "where with a numeric condition: NaN is true, ±0 false (C++ truthiness)",
      async () => {
        const cond = floatArray("float32", [
          Number.NaN,
          0,
          -0,
          2 ** -149,
          Number.NEGATIVE_INFINITY,
        ]);
        const x = floatArray("float32", [1, 2, 3, 4, 5]);
        const y = floatArray("float32", [-1, -2, -3, -4, -5]);
        expect(await read(where(cond, x, y), "float32")).toEqual([1, -2, -3, 4, 5]);
        const half = floatArray("float16", [Number.NaN, -0, 2 ** -24]);
        expect(await read(where(half, 1, 0), "float32")).toEqual([1, 0, 1]);
      },
    );

    itWithDtypes(
      options,
      ["float16"],
      "where promotes its branches and converts them exactly",
      async () => {
        const c = array([true, false, true]);
        const i = array(Int32Array.from([16777217, 3, -5]));
        const h = floatArray("float16", [0.5, 65504, -0]);
        // int32 with float16 is float16: 16777217 does not fit and overflows to inf.
        expect(await read(where(c, i, h), "float16")).toEqual([
          Number.POSITIVE_INFINITY,
          65504,
          -5,
        ]);
        expect(
          await read(where(c, array(Uint32Array.from([4294967295, 0, 1])), 2), "uint32"),
        ).toEqual([4294967295, 2, 1]);
        const asBool = await read(
          where(c, array([true, true, false]), array([false, true, false])),
          "bool",
        );
        expect(asBool).toEqual([1, 1, 0]);
      },
    );

    it("integer stopGradient keeps the values and the dtype", async () => {
      for (const [dtype, values] of [
        ["int32", Int32Array.from([-2147483648, 0, 2147483647])],
        ["uint32", Uint32Array.from([0, 4294967295])],
      ] as const satisfies readonly (readonly [DType, Int32Array | Uint32Array])[]) {
        expect(await read(stopGradient(array(values)), dtype)).toEqual(Array.from(values));
      }
      expect(await read(stopGradient(array([true, false])), "bool")).toEqual([1, 0]);
    });

    itWithDtypes(
      options,
      ["float16", "bfloat16"],
      "comparisons across dtypes compare values after promotion",
      async () => {
        const h = floatArray("float16", [0.5, 2048, -0]);
        const bf = floatArray("bfloat16", [0.5, 2048, 0]);
        expect(await read(BINARY_FNS.equal(h, bf), "bool")).toEqual([1, 1, 1]);
        const i = array(Int32Array.from([1, 2, 3]));
        expect(await read(BINARY_FNS.less(i, 2.5), "bool")).toEqual([1, 1, 0]);
        expect(await read(BINARY_FNS.greaterEqual(i, 2), "bool")).toEqual([0, 1, 1]);
      },
    );
  });
}
