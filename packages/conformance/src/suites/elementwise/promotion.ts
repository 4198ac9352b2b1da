import {
  add,
  array,
  type DType,
  divide,
  equal,
  exp,
  isnan,
  logaddexp,
  logicalNot,
  maximum,
  multiply,
  type Array as NdArray,
  power,
  where,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { BFLOAT16, FLOAT16 } from "../../reference/formats.js";
import { roundToFormat } from "../../reference/round.js";
import { expectNnkitError, read } from "./check.js";
import { BINARY_FNS, type BinaryName, UNARY_FNS, type UnaryName } from "./ops.js";

/** Result dtypes by MLX's promotion rules (spec §3): promote_types, at_least_float, weak scalars. */

const ALL: readonly DType[] = ["bool", "uint32", "int32", "float16", "bfloat16", "float32"];

/** A 2-element array of `dtype` holding small values every dtype represents. */
function sample(dtype: DType): NdArray {
  if (dtype === "bool") return array([true, false]);
  if (dtype === "int32") return array(Int32Array.from([1, 2]));
  if (dtype === "uint32") return array(Uint32Array.from([1, 2]));
  return array([1, 2], dtype);
}

/** MLX's promote_types restricted to nnkit's dtypes; undefined where MLX gives int64. */
function promote(a: DType, b: DType): DType | undefined {
  if (a === b) return a;
  if (a === "bool") return b;
  if (b === "bool") return a;
  const floats: readonly DType[] = ["float16", "bfloat16", "float32"];
  const af = floats.includes(a);
  const bf = floats.includes(b);
  if (af && bf) return "float32"; // float16 + bfloat16 (or either + float32)
  if (af) return a;
  if (bf) return b;
  return undefined; // int32 + uint32 is int64 in MLX
}

const atLeastFloat = (d: DType): DType =>
  d === "float16" || d === "bfloat16" || d === "float32" ? d : "float32";

const KEEP_TYPE: readonly UnaryName[] = ["negative", "abs", "sign", "square"];
const FLOATING: readonly UnaryName[] = [
  "sqrt",
  "exp",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "erf",
  "erfc",
  "erfinv",
  "sigmoid",
];
const PREDICATES: readonly UnaryName[] = ["isnan", "isinf", "logicalNot"];
const SAME_AS_PROMOTED: readonly BinaryName[] = [
  "add",
  "subtract",
  "multiply",
  "power",
  "maximum",
  "minimum",
];
const FLOAT_RESULT: readonly BinaryName[] = ["divide", "logaddexp"];
const BOOL_RESULT: readonly BinaryName[] = [
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "equal",
  "notEqual",
];

export function definePromotionSuite(options: SuiteOptions): void {
  describe("result dtypes (MLX promotion)", () => {
    it("unary ops: arithmetic keeps the type, transcendental ops give at_least_float, predicates give bool", () => {
      for (const d of ALL) {
        for (const op of KEEP_TYPE) {
          if (d === "bool" && (op === "negative" || op === "sign")) continue; // raise, tested with bools
          expect(UNARY_FNS[op](sample(d)).dtype, `${op}(${d})`).toBe(d);
        }
        for (const op of FLOATING)
          expect(UNARY_FNS[op](sample(d)).dtype, `${op}(${d})`).toBe(atLeastFloat(d));
        for (const op of PREDICATES)
          expect(UNARY_FNS[op](sample(d)).dtype, `${op}(${d})`).toBe("bool");
      }
    });

    it("binary ops follow promote_types over every pair of dtypes; int32 with uint32 raises", () => {
      for (const a of ALL) {
        for (const b of ALL) {
          const common = promote(a, b);
          for (const op of [...SAME_AS_PROMOTED, ...FLOAT_RESULT, ...BOOL_RESULT]) {
            const call = () => BINARY_FNS[op](sample(a), sample(b));
            if (common === undefined) {
              expectNnkitError(call, /int64/);
              continue;
            }
            if (op === "subtract" && common === "bool") continue; // raises, tested with bools
            const want = FLOAT_RESULT.includes(op)
              ? atLeastFloat(common)
              : BOOL_RESULT.includes(op)
                ? "bool"
                : common;
            expect(call().dtype, `${op}(${a}, ${b})`).toBe(want);
          }
        }
      }
    });

    it("int32 + uint32 names int64 in its error, whichever side and op", () => {
      const i = sample("int32");
      const u = sample("uint32");
      expectNnkitError(() => add(i, u), /^add: .*int64/);
      expectNnkitError(() => add(u, i), /int64/);
      expectNnkitError(() => maximum(i, u), /int64/);
      expectNnkitError(() => equal(u, i), /int64/);
      expectNnkitError(() => where(array([true, false]), i, u), /int64/);
    });

    it("where: the branches promote; the condition does not take part", () => {
      const c = array([true, false]);
      expect(where(c, sample("int32"), sample("float16")).dtype).toBe("float16");
      expect(where(c, sample("float16"), sample("bfloat16")).dtype).toBe("float32");
      expect(where(sample("float32"), sample("int32"), sample("int32")).dtype).toBe("int32");
      expect(where(c, sample("bool"), sample("bool")).dtype).toBe("bool");
      expect(where(c, sample("uint32"), 1).dtype).toBe("uint32");
      expect(where(c, sample("int32"), 1.5).dtype).toBe("float32");
      expect(where(c, 2.5, sample("bfloat16")).dtype).toBe("bfloat16");
    });

    it("weak scalars take the array's type (bool + int is int32, int + fraction is float32)", () => {
      const cases: readonly [string, NdArray, DType][] = [
        ["float16 + 2.5", add(sample("float16"), 2.5), "float16"],
        ["2.5 + float16", add(2.5, sample("float16")), "float16"],
        ["bfloat16 × 3", multiply(sample("bfloat16"), 3), "bfloat16"],
        ["int32 + 2", add(sample("int32"), 2), "int32"],
        ["int32 + 2.5", add(sample("int32"), 2.5), "float32"],
        ["uint32 + 3", add(sample("uint32"), 3), "uint32"],
        ["uint32 + 0.5", add(sample("uint32"), 0.5), "float32"],
        ["bool + 1", add(sample("bool"), 1), "int32"],
        ["bool + true", add(sample("bool"), true), "bool"],
        ["bool + 0.5", add(sample("bool"), 0.5), "float32"],
        ["int32 ** 2", power(sample("int32"), 2), "int32"],
        ["int32 / 2", divide(sample("int32"), 2), "float32"],
        ["float16 / 2", divide(sample("float16"), 2), "float16"],
        ["logaddexp(int32, 1)", logaddexp(sample("int32"), 1), "float32"],
        ["float16 == 1", equal(sample("float16"), 1), "bool"],
        ["float16 + inf", add(sample("float16"), Number.POSITIVE_INFINITY), "float16"],
      ];
      for (const [what, x, want] of cases) expect(x.dtype, what).toBe(want);
    });

    it("standalone values: numbers are float32, booleans bool, typed arrays keep their kind", () => {
      expect(array(2.5).dtype).toBe("float32");
      expect(array(2).dtype).toBe("float32");
      expect(array([true, false]).dtype).toBe("bool");
      expect(array(Int32Array.from([1])).dtype).toBe("int32");
      expect(array(Uint32Array.from([1])).dtype).toBe("uint32");
      expect(exp(array(Int32Array.from([0]))).dtype).toBe("float32");
      expect(isnan(sample("int32")).dtype).toBe("bool");
      expect(logicalNot(sample("float16")).dtype).toBe("bool");
    });

    it("mixed-type results hold the right values", async () => {
      const i = array(Int32Array.from([1, -3, 7]));
      expect(await read(multiply(i, 2), "int32")).toEqual([2, -6, 14]);
      expect(await read(add(i, 2.5), "float32")).toEqual([3.5, -0.5, 9.5]);
      expect(await read(add(array([true, false, true]), 1), "int32")).toEqual([2, 1, 2]);
      expect(await read(divide(i, array(Int32Array.from([2, 2, 2]))), "float32")).toEqual([
        0.5, -1.5, 3.5,
      ]);
    });

    itWithDtypes(
      options,
      ["float16", "bfloat16"],
      "mixed-type results with half types hold the right values",
      async () => {
        const i = array(Int32Array.from([1, -3, 7]));
        const h = array([0.5, 0.25, -1.5], "float16");
        const bf = array([0.5, 0.25, -1.5], "bfloat16");
        expect(await read(add(i, h), "float16")).toEqual([1.5, -2.75, 5.5]);
        expect(await read(add(h, bf), "float32")).toEqual([1, 0.5, -3]);
        // 2.5 is a float16 and bfloat16 value, so the only rounding is the result's.
        expect(await read(add(h, 2.5), "float16")).toEqual(
          [3, 2.75, 1].map((v) => roundToFormat(FLOAT16, v)),
        );
        expect(await read(multiply(bf, 1.5), "bfloat16")).toEqual(
          [0.75, 0.375, -2.25].map((v) => roundToFormat(BFLOAT16, v)),
        );
      },
    );
  });
}
