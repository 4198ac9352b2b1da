import { array, astype, type DType, type Array as NdArray, where } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { BFLOAT16, FLOAT16, FLOAT32, FORMATS, maxFinite } from "../../reference/formats.js";
import { roundToFormat } from "../../reference/round.js";
import { callLabel, expectExact, expectNnkitError, floatArray, read } from "./check.js";
import { F32_MAX, INF, seededRandom, specials } from "./inputs.js";
import {
  BINARY_FNS,
  type BinaryName,
  COMPARE,
  COMPARISONS,
  UNARY_FNS,
  type UnaryName,
} from "./ops.js";

/**
 * Integer and bool semantics (MLX = C++ on fixed-width types): int32/uint32 arithmetic wraps
 * modulo 2^32, integer power is repeated squaring, bool + is "or" and bool × is "and".
 * References use BigInt, so they share nothing with 32-bit JavaScript tricks.
 */

type IntDType = "int32" | "uint32";

const wrap = (dtype: IntDType, v: bigint): number =>
  Number(dtype === "int32" ? BigInt.asIntN(32, v) : BigInt.asUintN(32, v));

const INT32_EDGES = [
  0, 1, -1, 2, -2, 7, -7, 46340, 46341, -46341, 65535, 65536, 2147483647, -2147483648, 2147483646,
  -2147483647, 1073741824,
];
const UINT32_EDGES = [
  0, 1, 2, 7, 46341, 65535, 65536, 2147483647, 2147483648, 4294967295, 4294967294, 3000000000,
];

function randomInts(dtype: IntDType, n: number, seed: number): number[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = Math.floor(rnd() * 2 ** 32);
    // half full-range, half small values (where wrap-around is rare but rounding matters)
    const v = rnd() < 0.5 ? u : Math.floor(rnd() * 2001) - 1000;
    return wrap(dtype, BigInt(v));
  });
}

function intArray(dtype: IntDType, values: readonly number[]): NdArray {
  return dtype === "int32" ? array(Int32Array.from(values)) : array(Uint32Array.from(values));
}

const ARITH: Partial<Record<BinaryName, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  // biome-ignore lint/complexity/useMathMinMax: BigInt operands, which Math.max rejects
  maximum: (a, b) => (a > b ? a : b),
  // biome-ignore lint/complexity/useMathMinMax: BigInt operands, which Math.max rejects
  minimum: (a, b) => (a < b ? a : b),
};

const UNARY_INT: Partial<Record<UnaryName, (a: bigint, dtype: IntDType) => bigint>> = {
  negative: (a) => -a,
  abs: (a) => (a < 0n ? -a : a),
  square: (a) => a * a,
  sign: (a) => (a > 0n ? 1n : a < 0n ? -1n : 0n),
};

/** MLX's integer power: repeated squaring mod 2^32; a negative exponent gives 0, except for bases ±1. */
function intPower(dtype: IntDType, a: number, b: number): number {
  if (b < 0) {
    if (a === 1) return 1;
    if (a === -1) return b % 2 === 0 ? 1 : -1;
    return 0;
  }
  return wrap(dtype, BigInt(a) ** BigInt(b));
}

/** astype float → integer: truncate toward zero, wrap modulo 2^32; NaN and ±inf give 0. */
function floatToInt(dtype: IntDType, v: number): number {
  return Number.isFinite(v) ? wrap(dtype, BigInt(Math.trunc(v))) : 0;
}

export function defineIntegerBoolSuite(options: SuiteOptions): void {
  describe("integer and bool semantics", () => {
    for (const dtype of ["int32", "uint32"] as const) {
      const edges = dtype === "int32" ? INT32_EDGES : UINT32_EDGES;
      const random = randomInts(dtype, 600, dtype === "int32" ? 301 : 302);
      const pairs: [number, number][] = [
        ...edges.flatMap((a) => edges.map((b): [number, number] => [a, b])),
        ...random.map((a, i): [number, number] => [
          a,
          random[(i * 7 + 3) % random.length] as number,
        ]),
      ];

      for (const [op, ref] of Object.entries(ARITH)) {
        it(`${dtype} ${op} wraps modulo 2^32 (edges and random pairs)`, async () => {
          const got = await read(
            BINARY_FNS[op as BinaryName](
              intArray(
                dtype,
                pairs.map((p) => p[0]),
              ),
              intArray(
                dtype,
                pairs.map((p) => p[1]),
              ),
            ),
            dtype,
          );
          expectExact(
            `${dtype} ${op}`,
            dtype,
            pairs.map(([a, b], i) => ({
              label: callLabel(op, dtype, [a, b]),
              expected: wrap(dtype, ref(BigInt(a), BigInt(b))),
              got: got[i] as number,
            })),
          );
        });
      }

      for (const [op, ref] of Object.entries(UNARY_INT)) {
        it(`${dtype} ${op} wraps modulo 2^32`, async () => {
          const xs = [...edges, ...random];
          const got = await read(UNARY_FNS[op as UnaryName](intArray(dtype, xs)), dtype);
          expectExact(
            `${dtype} ${op}`,
            dtype,
            xs.map((a, i) => ({
              label: callLabel(op, dtype, [a]),
              expected: wrap(dtype, ref(BigInt(a), dtype)),
              got: got[i] as number,
            })),
          );
        });
      }

      it(`${dtype} power is repeated squaring modulo 2^32; negative exponents give 0 except for ±1`, async () => {
        const bases =
          dtype === "int32"
            ? [0, 1, -1, 2, -2, 3, -3, 7, 10, 46341, -2147483648, 65536]
            : [0, 1, 2, 3, 7, 10, 65536, 4294967295];
        const exps =
          dtype === "int32"
            ? [0, 1, 2, 3, 10, 20, 31, 32, 33, 63, -1, -2, -3, -31]
            : [0, 1, 2, 3, 10, 20, 31, 32, 33, 63];
        const ps = bases.flatMap((a) => exps.map((b): [number, number] => [a, b]));
        const got = await read(
          BINARY_FNS.power(
            intArray(
              dtype,
              ps.map((p) => p[0]),
            ),
            intArray(
              dtype,
              ps.map((p) => p[1]),
            ),
          ),
          dtype,
        );
        expectExact(
          `${dtype} power`,
          dtype,
          ps.map(([a, b], i) => ({
            label: callLabel("power", dtype, [a, b]),
            expected: intPower(dtype, a, b),
            got: got[i] as number,
          })),
        );
      });

      it(`${dtype} divide is true division with a float32 result`, async () => {
        const ps: [number, number][] =
          dtype === "int32"
            ? [
                [7, 2],
                [-7, 2],
                [1, 3],
                [-1, 3],
                [1, 0],
                [-1, 0],
                [0, 0],
                [16777215, 7],
                [-16777216, 3],
                [5, -10],
              ]
            : [
                [7, 2],
                [1, 3],
                [1, 0],
                [0, 0],
                [16777215, 7],
                [5, 10],
                [16777216, 3],
              ];
        const got = await read(
          BINARY_FNS.divide(
            intArray(
              dtype,
              ps.map((p) => p[0]),
            ),
            intArray(
              dtype,
              ps.map((p) => p[1]),
            ),
          ),
          "float32",
        );
        expectExact(
          `${dtype} divide`,
          "float32",
          ps.map(([a, b], i) => ({
            label: callLabel("divide", dtype, [a, b]),
            expected: roundToFormat(FLOAT32, a / b),
            got: got[i] as number,
          })),
        );
      });

      it(`${dtype} comparisons use the integer values (no sign or float confusion)`, async () => {
        for (const op of COMPARISONS) {
          const got = await read(
            BINARY_FNS[op](
              intArray(
                dtype,
                pairs.map((p) => p[0]),
              ),
              intArray(
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
        }
      });
    }

    it("int32 + 1 at the top wraps to the bottom, and scalars keep the wrap", async () => {
      const x = array(Int32Array.from([2147483647, -2147483648, 65536, 46341]));
      expect(await read(BINARY_FNS.add(x, 1), "int32")).toEqual([
        -2147483648, -2147483647, 65537, 46342,
      ]);
      expect(await read(BINARY_FNS.subtract(x, 1), "int32")).toEqual([
        2147483646, 2147483647, 65535, 46340,
      ]);
      // 2147483647 · 65536 = 2^47 - 2^16 and 46341 · 65536 = 3037003776 = 2^32 - 1257963520
      expect(await read(BINARY_FNS.multiply(x, 65536), "int32")).toEqual([
        -65536, 0, 0, -1257963520,
      ]);
      expect(await read(UNARY_FNS.square(x), "int32")).toEqual([1, 0, 0, -2147479015]);
      expect(await read(UNARY_FNS.negative(x), "int32")).toEqual([
        -2147483647, -2147483648, -65536, -46341,
      ]);
      expect(await read(UNARY_FNS.abs(x), "int32")).toEqual([
        2147483647, -2147483648, 65536, 46341,
      ]);
    });

    it("uint32 wraps below 0 and above 2^32 - 1; sign is 0 or 1", async () => {
      const x = array(Uint32Array.from([0, 1, 4294967295, 2147483648]));
      expect(await read(BINARY_FNS.subtract(x, 1), "uint32")).toEqual([
        4294967295, 0, 4294967294, 2147483647,
      ]);
      expect(await read(BINARY_FNS.add(x, 1), "uint32")).toEqual([1, 2, 0, 2147483649]);
      expect(await read(UNARY_FNS.negative(x), "uint32")).toEqual([0, 4294967295, 1, 2147483648]);
      expect(await read(UNARY_FNS.sign(x), "uint32")).toEqual([0, 1, 1, 1]);
      expect(await read(BINARY_FNS.greater(x, 1), "bool")).toEqual([0, 0, 1, 1]);
    });

    describe("bool", () => {
      const a = [true, true, false, false];
      const b = [true, false, true, false];
      const cases: readonly [BinaryName, number[]][] = [
        ["add", [1, 1, 1, 0]], // or
        ["multiply", [1, 0, 0, 0]], // and
        ["maximum", [1, 1, 1, 0]],
        ["minimum", [1, 0, 0, 0]],
        ["equal", [1, 0, 0, 1]],
        ["notEqual", [0, 1, 1, 0]],
        ["greater", [0, 1, 0, 0]],
        ["less", [0, 0, 1, 0]],
      ];
      for (const [op, expected] of cases) {
        it(`bool ${op} bool is a bool: ${expected.join(",")}`, async () => {
          expect(await read(BINARY_FNS[op](array(a), array(b)), "bool")).toEqual(expected);
        });
      }

      it("abs, square and logicalNot of bool; subtract and negative raise as in MLX", async () => {
        expect(await read(UNARY_FNS.abs(array(a)), "bool")).toEqual([1, 1, 0, 0]);
        expect(await read(UNARY_FNS.square(array(b)), "bool")).toEqual([1, 0, 1, 0]);
        expect(await read(UNARY_FNS.logicalNot(array(b)), "bool")).toEqual([0, 1, 0, 1]);
        expectNnkitError(() => BINARY_FNS.subtract(array(a), array(b)), /subtract/);
        expectNnkitError(() => UNARY_FNS.negative(array(a)), /negative/);
      });

      it("bool arithmetic with an integer promotes to int32; bool + float keeps the float", async () => {
        expect(await read(BINARY_FNS.add(array(a), 1), "int32")).toEqual([2, 2, 1, 1]);
        expect(
          await read(BINARY_FNS.add(array(a), array(Int32Array.from([5, -5, 5, -5]))), "int32"),
        ).toEqual([6, -4, 5, -5]);
        expect(
          await read(
            BINARY_FNS.multiply(array(a), array(Float32Array.from([2.5, 2.5, 2.5, 2.5]))),
            "float32",
          ),
        ).toEqual([2.5, 2.5, 0, 0]);
        expect(await read(UNARY_FNS.exp(array(b)), "float32")).toEqual([
          roundToFormat(FLOAT32, Math.E),
          1,
          roundToFormat(FLOAT32, Math.E),
          1,
        ]);
      });
    });

    describe("astype", () => {
      const floats = [
        ...specials(FLOAT32),
        1.9,
        -1.9,
        0.5,
        -0.5,
        2147483520,
        2147483648,
        -2147483648,
        -2147483904,
        3e9,
        -3e9,
        4294967296,
        4294967808,
        1e10,
        -1e10,
        1e20,
        F32_MAX,
        16777216,
      ].map((v) => roundToFormat(FLOAT32, v));

      for (const dtype of ["int32", "uint32"] as const) {
        it(`float32 → ${dtype} truncates toward zero, wraps modulo 2^32, and maps NaN and ±inf to 0`, async () => {
          const got = await read(astype(floatArray("float32", floats), dtype), dtype);
          expectExact(
            `astype float32 → ${dtype}`,
            dtype,
            floats.map((v, i) => ({
              label: callLabel("astype", "float32", [v]),
              expected: floatToInt(dtype, v),
              got: got[i] as number,
            })),
          );
        });
      }

      itWithDtypes(
        options,
        ["float16"],
        "float16 → int32 truncates and wraps as float32 does",
        async () => {
          const h = [65504, -65504, 1.5, -1.5, 0.999, INF, -INF, Number.NaN].map((v) =>
            roundToFormat(FLOAT16, v),
          );
          const got16 = await read(astype(floatArray("float16", h), "int32"), "int32");
          expect(got16).toEqual(h.map((v) => floatToInt("int32", v)));
        },
      );

      itWithDtypes(
        options,
        ["bfloat16"],
        "bfloat16 → int32 truncates and wraps as float32 does",
        async () => {
          const bf = [3e9, -3e9, 1.5, maxFinite(BFLOAT16), Number.NaN].map((v) =>
            roundToFormat(BFLOAT16, v),
          );
          const gotBf = await read(astype(floatArray("bfloat16", bf), "int32"), "int32");
          expect(gotBf).toEqual(bf.map((v) => floatToInt("int32", v)));
        },
      );

      it("anything → bool is != 0 (NaN is true, -0 is false)", async () => {
        const xs = [0, -0, Number.NaN, 2 ** -149, -(2 ** -149), INF, -INF, -3, 0.5];
        expect(await read(astype(floatArray("float32", xs), "bool"), "bool")).toEqual([
          0, 0, 1, 1, 1, 1, 1, 1, 1,
        ]);
        expect(
          await read(
            astype(array(Int32Array.from([0, -1, 2147483647, -2147483648])), "bool"),
            "bool",
          ),
        ).toEqual([0, 1, 1, 1]);
        expect(
          await read(astype(array(Uint32Array.from([0, 4294967295])), "bool"), "bool"),
        ).toEqual([0, 1]);
      });

      itWithDtypes(
        options,
        ["float16"],
        "float16 → bool is != 0 (NaN is true, -0 is false)",
        async () => {
          expect(
            await read(
              astype(floatArray("float16", [0, -0, 2 ** -24, Number.NaN]), "bool"),
              "bool",
            ),
          ).toEqual([0, 0, 1, 1]);
        },
      );

      const ints = [
        0, 1, -1, 2049, 2051, -2051, 65504, 65519, 65520, -70000, 16777217, 16777219, 2147483647,
        -2147483648, 33554435,
      ];
      for (const dtype of ["float16", "bfloat16"] as const) {
        itWithDtypes(
          options,
          [dtype],
          `int32 → ${dtype} rounds to nearest even, overflowing to inf`,
          async () => {
            const got = await read(astype(array(Int32Array.from(ints)), dtype), dtype);
            expectExact(
              `astype int32 → ${dtype}`,
              dtype,
              ints.map((v, i) => ({
                label: callLabel("astype", "int32", [v]),
                expected: roundToFormat(FORMATS[dtype], v),
                got: got[i] as number,
              })),
            );
          },
        );
      }

      it("int32 and uint32 → float32 round to nearest even", async () => {
        const got = await read(astype(array(Int32Array.from(ints)), "float32"), "float32");
        expectExact(
          "astype int32 → float32",
          "float32",
          ints.map((v, i) => ({
            label: callLabel("astype", "int32", [v]),
            expected: roundToFormat(FLOAT32, v),
            got: got[i] as number,
          })),
        );
        const u = [4294967295, 4294967168, 2147483648, 16777217];
        expect(await read(astype(array(Uint32Array.from(u)), "float32"), "float32")).toEqual(
          u.map((v) => roundToFormat(FLOAT32, v)),
        );
      });

      it("int32 ↔ uint32 reinterpret modulo 2^32; bool → numbers is 0/1", async () => {
        expect(
          await read(astype(array(Int32Array.from([-1, -2147483648, 5])), "uint32"), "uint32"),
        ).toEqual([4294967295, 2147483648, 5]);
        expect(
          await read(
            astype(array(Uint32Array.from([4294967295, 2147483648, 5])), "int32"),
            "int32",
          ),
        ).toEqual([-1, -2147483648, 5]);
        for (const dtype of ["int32", "uint32", "float32"] as const satisfies readonly DType[]) {
          expect(await read(astype(array([true, false]), dtype), dtype)).toEqual([1, 0]);
        }
      });

      for (const dtype of ["float16", "bfloat16"] as const) {
        itWithDtypes(options, [dtype], `bool → ${dtype} is 0/1`, async () => {
          expect(await read(astype(array([true, false]), dtype), dtype)).toEqual([1, 0]);
        });
      }

      it("float32 → float32 and integer → same type are identities (NaN, -0 and subnormals kept)", async () => {
        const xs = specials(FLOAT32);
        const got = await read(astype(floatArray("float32", xs), "float32"), "float32");
        expectExact(
          "astype float32 → float32",
          "float32",
          xs.map((x, i) => ({
            label: callLabel("astype", "float32", [x]),
            expected: x,
            got: got[i] as number,
          })),
        );
        expect(
          await read(astype(array(Int32Array.from([-2147483648, 7])), "int32"), "int32"),
        ).toEqual([-2147483648, 7]);
      });
    });

    it("where with a float condition uses C++ truthiness: NaN and -0 pick x and y respectively", async () => {
      const cond = floatArray("float32", [Number.NaN, 0, -0, 2 ** -149, INF, -1]);
      const got = await read(where(cond, 1, 2), "float32");
      expect(got).toEqual([1, 2, 2, 1, 1, 1]);
      const intCond = array(Int32Array.from([0, -1, 2]));
      expect(
        await read(
          where(
            intCond,
            array(Int32Array.from([10, 20, 30])),
            array(Int32Array.from([-10, -20, -30])),
          ),
          "int32",
        ),
      ).toEqual([-10, 20, 30]);
    });
  });
}
