import { describe, expect, it } from "vitest";
import type { DType } from "../../src/dtype/dtype.js";
import {
  atLeastFloat,
  promote,
  promoteTypes,
  standaloneScalarDType,
  weakScalarDType,
} from "../../src/dtype/promotion.js";
import { NnkitError } from "../../src/errors.js";

const ORDER: readonly DType[] = ["bool", "uint32", "int32", "float16", "bfloat16", "float32"];

/**
 * MLX's promotion table (mlx/dtype.cpp, `promote_types`) restricted to nnkit's dtypes, written
 * out by hand. Rows and columns follow ORDER; "error" marks int32 + uint32, which is int64 in
 * MLX and which nnkit refuses instead of narrowing.
 */
const TABLE: readonly (readonly (DType | "error")[])[] = [
  //  bool        uint32     int32      float16     bfloat16    float32
  ["bool", "uint32", "int32", "float16", "bfloat16", "float32"], // bool
  ["uint32", "uint32", "error", "float16", "bfloat16", "float32"], // uint32
  ["int32", "error", "int32", "float16", "bfloat16", "float32"], // int32
  ["float16", "float16", "float16", "float16", "float32", "float32"], // float16
  ["bfloat16", "bfloat16", "bfloat16", "float32", "bfloat16", "float32"], // bfloat16
  ["float32", "float32", "float32", "float32", "float32", "float32"], // float32
];

describe("promoteTypes", () => {
  ORDER.forEach((a, i) => {
    ORDER.forEach((b, j) => {
      const expected = TABLE[i]?.[j];
      it(`${a} + ${b} → ${expected}`, () => {
        if (expected === "error") {
          let caught: unknown;
          try {
            promote("add", a, b);
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(NnkitError);
          expect((caught as NnkitError).fn).toBe("add");
          expect((caught as NnkitError).message).toMatch(/^add: .*int64.*astype/);
        } else {
          expect(promote("add", a, b)).toBe(expected);
        }
      });
    });
  });

  it("is symmetric", () => {
    for (const a of ORDER) {
      for (const b of ORDER) {
        const ab = (() => {
          try {
            return promote("f", a, b);
          } catch {
            return "error";
          }
        })();
        const ba = (() => {
          try {
            return promote("f", b, a);
          } catch {
            return "error";
          }
        })();
        expect(ab, `${a} + ${b}`).toBe(ba);
      }
    }
  });
});

describe("atLeastFloat", () => {
  it.each([
    ["bool", "float32"],
    ["uint32", "float32"],
    ["int32", "float32"],
    ["float16", "float16"],
    ["bfloat16", "bfloat16"],
    ["float32", "float32"],
  ] as const)("%s → %s", (input, output) => {
    expect(atLeastFloat(input)).toBe(output);
  });
});

describe("scalar dtypes (MLX's weak Python scalars)", () => {
  it("a number next to a float array takes the array's dtype", () => {
    expect(weakScalarDType(2, "float16")).toBe("float16");
    expect(weakScalarDType(2.5, "bfloat16")).toBe("bfloat16");
    expect(weakScalarDType(Number.NaN, "float32")).toBe("float32");
  });

  it("an integral number next to an integer array keeps the integer type; a fraction makes float32", () => {
    expect(weakScalarDType(3, "int32")).toBe("int32");
    expect(weakScalarDType(3, "uint32")).toBe("uint32");
    expect(weakScalarDType(3.5, "int32")).toBe("float32");
    expect(weakScalarDType(Number.POSITIVE_INFINITY, "int32")).toBe("float32");
  });

  it("next to bool: an integer makes int32, a boolean stays bool", () => {
    expect(weakScalarDType(1, "bool")).toBe("int32");
    expect(weakScalarDType(true, "bool")).toBe("bool");
    expect(weakScalarDType(false, "int32")).toBe("int32");
  });

  it("a standalone number is float32, a boolean bool", () => {
    expect(standaloneScalarDType(3)).toBe("float32");
    expect(standaloneScalarDType(0.5)).toBe("float32");
    expect(standaloneScalarDType(true)).toBe("bool");
  });
});

describe("public promoteTypes(a, b)", () => {
  it("matches the internal rule and names itself in errors", () => {
    expect(promoteTypes("int32", "float16")).toBe(promote("add", "int32", "float16"));
    expect(promoteTypes("bool", "uint32")).toBe("uint32");
    expect(() => promoteTypes("int32", "uint32")).toThrow(/^promoteTypes: .*int64/);
  });
});
