import { describe, expect, it } from "vitest";
import {
  formatArray,
  formatElement,
  formatFixed,
  formatGeneral,
  roundToBfloat16,
  roundToFloat16,
} from "../../src/print/index.js";

const range = (n: number, start = 0): number[] => Array.from({ length: n }, (_, i) => start + i);

/**
 * Expected strings copied from MLX's own test suite:
 * ml-explore/mlx python/tests/test_array.py, TestArray.test_array_repr.
 */
describe("formatArray: cases from mlx python/tests/test_array.py (test_array_repr)", () => {
  it("scalars", () => {
    expect(formatArray([true], [], "bool")).toBe("array(True, dtype=bool)");
    expect(formatArray([1], [], "int32")).toBe("array(1, dtype=int32)");
    expect(formatArray([1.0], [], "float32")).toBe("array(1, dtype=float32)");
  });

  it("1-D, up to 6 elements printed in full", () => {
    expect(formatArray([1, 0, 1], [3], "int32")).toBe("array([1, 0, 1], dtype=int32)");
    expect(formatArray(Array(6).fill(1), [6], "int32")).toBe(
      "array([1, 1, 1, 1, 1, 1], dtype=int32)",
    );
  });

  it("1-D with 7 elements is summarised", () => {
    expect(formatArray(Array(7).fill(1), [7], "int32")).toBe(
      "array([1, 1, 1, ..., 1, 1, 1], dtype=int32)",
    );
  });

  it("2-D", () => {
    expect(formatArray([1, 2, 1, 2, 1, 2], [3, 2], "int32")).toBe(
      "array([[1, 2],\n" + "       [1, 2],\n" + "       [1, 2]], dtype=int32)",
    );
  });

  it("3-D", () => {
    expect(formatArray([1, 2, 1, 2, 1, 2, 1, 2], [2, 2, 2], "int32")).toBe(
      "array([[[1, 2],\n" +
        "        [1, 2]],\n" +
        "       [[1, 2],\n" +
        "        [1, 2]]], dtype=int32)",
    );
  });

  it("2-D with 6 rows in full, 7 rows summarised", () => {
    const rows6 = Array.from({ length: 6 }, () => [1, 2]).flat();
    expect(formatArray(rows6, [6, 2], "int32")).toBe(
      "array([[1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2]], dtype=int32)",
    );
    const rows7 = Array.from({ length: 7 }, () => [1, 2]).flat();
    expect(formatArray(rows7, [7, 2], "int32")).toBe(
      "array([[1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2],\n" +
        "       ...,\n" +
        "       [1, 2],\n" +
        "       [1, 2],\n" +
        "       [1, 2]], dtype=int32)",
    );
  });

  it("float16 prints the rounded half value with 6 significant digits", () => {
    // mx.array([1.2], dtype=mx.float16) -> "array([1.2002], dtype=float16)"
    expect(formatArray([1.2001953125], [1], "float16")).toBe("array([1.2002], dtype=float16)");
    // an unrounded input is rounded to the nearest float16 first
    expect(formatArray([1.2], [1], "float16")).toBe("array([1.2002], dtype=float16)");
  });
});

describe("formatArray: scalars and dtypes", () => {
  it("float scalar", () => {
    expect(formatArray([1.5], [], "float32")).toBe("array(1.5, dtype=float32)");
    expect(formatArray(new Float32Array([0.1]), [], "float32")).toBe("array(0.1, dtype=float32)");
  });

  it("bool scalars and arrays (Python capitalisation by default)", () => {
    expect(formatArray([false], [], "bool")).toBe("array(False, dtype=bool)");
    expect(formatArray([1, 0, 1], [3], "bool")).toBe("array([True, False, True], dtype=bool)");
    expect(formatArray(new Uint8Array([1, 0, 0, 1]), [2, 2], "bool")).toBe(
      "array([[True, False],\n       [False, True]], dtype=bool)",
    );
    expect(formatArray([true, false], [2], "bool", { capitalizeBool: false })).toBe(
      "array([true, false], dtype=bool)",
    );
  });

  it("ints", () => {
    expect(formatArray([-3], [], "int32")).toBe("array(-3, dtype=int32)");
    expect(formatArray(new Int32Array([-2147483648, 2147483647, 0]), [3], "int32")).toBe(
      "array([-2147483648, 2147483647, 0], dtype=int32)",
    );
    expect(formatArray([0, 4294967295], [2], "uint32")).toBe(
      "array([0, 4294967295], dtype=uint32)",
    );
    // values are coerced like a C++ cast into the element type
    expect(formatArray([-1], [1], "uint32")).toBe("array([4294967295], dtype=uint32)");
    expect(formatArray([-0], [], "int32")).toBe("array(0, dtype=int32)");
  });

  it("float16 / bfloat16 dtype suffixes", () => {
    expect(formatArray([1, 2.5, -3], [3], "float16")).toBe("array([1, 2.5, -3], dtype=float16)");
    expect(formatArray([1, 1.5], [2], "bfloat16")).toBe("array([1, 1.5], dtype=bfloat16)");
    // bfloat16(0.1) == 0.10009765625
    expect(formatArray([0.1], [], "bfloat16")).toBe("array(0.100098, dtype=bfloat16)");
    expect(formatArray([65504, 70000], [2], "float16")).toBe("array([65504, inf], dtype=float16)");
  });
});

describe("formatArray: float number format (ostream default = printf %.6g)", () => {
  const f32 = (v: number): string => formatArray([v], [], "float32");

  it("integers drop the decimal point, 6 significant digits", () => {
    expect(f32(1)).toBe("array(1, dtype=float32)");
    expect(f32(100)).toBe("array(100, dtype=float32)");
    expect(f32(123456)).toBe("array(123456, dtype=float32)");
    expect(f32(1234567)).toBe("array(1.23457e+06, dtype=float32)");
    expect(f32(1e6)).toBe("array(1e+06, dtype=float32)");
    // float32(123456789) == 123456792
    expect(f32(123456789)).toBe("array(1.23457e+08, dtype=float32)");
  });

  it("fractions", () => {
    expect(f32(0.5)).toBe("array(0.5, dtype=float32)");
    expect(f32(1 / 3)).toBe("array(0.333333, dtype=float32)");
    expect(f32(Math.PI)).toBe("array(3.14159, dtype=float32)");
    expect(f32(0.0001)).toBe("array(0.0001, dtype=float32)");
    // float32(9.9999995) rounds up to 10 at 6 digits
    expect(f32(9.9999995)).toBe("array(10, dtype=float32)");
  });

  it("very small / very large numbers use a signed two-digit exponent", () => {
    expect(f32(0.00001)).toBe("array(1e-05, dtype=float32)");
    expect(f32(1e-8)).toBe("array(1e-08, dtype=float32)");
    expect(f32(-2.5e-7)).toBe("array(-2.5e-07, dtype=float32)");
    expect(f32(1e20)).toBe("array(1e+20, dtype=float32)");
    expect(f32(3.4028234663852886e38)).toBe("array(3.40282e+38, dtype=float32)");
    expect(f32(1.401298464324817e-45)).toBe("array(1.4013e-45, dtype=float32)");
    expect(formatGeneral(1e300)).toBe("1e+300");
    expect(formatGeneral(5e-324)).toBe("4.94066e-324");
  });

  it("exact ties round half to even like printf (not like toPrecision)", () => {
    // 1024.125 is exactly representable; %.6g -> 1024.12
    expect(f32(1024.125)).toBe("array(1024.12, dtype=float32)");
    expect(formatGeneral(1234565)).toBe("1.23456e+06");
    expect(formatGeneral(1234575)).toBe("1.23458e+06");
  });

  it("nan, inf, -inf", () => {
    expect(
      formatArray([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], [3], "float32"),
    ).toBe("array([nan, inf, -inf], dtype=float32)");
    expect(formatArray([Number.NaN], [], "bfloat16")).toBe("array(nan, dtype=bfloat16)");
  });

  it("negative zero", () => {
    expect(f32(-0)).toBe("array(-0, dtype=float32)");
    expect(formatArray([-0, 0], [2], "float16")).toBe("array([-0, 0], dtype=float16)");
  });

  it("a mixed float row", () => {
    expect(formatArray(new Float32Array([0.1, 2.5, -3, 1e-8, 12345.678]), [5], "float32")).toBe(
      "array([0.1, 2.5, -3, 1e-08, 12345.7], dtype=float32)",
    );
  });
});

describe("formatArray: precision option (mx.set_printoptions(precision=p) -> std::fixed)", () => {
  it("fixed number of decimals", () => {
    // python/src/print.cpp example: mx.array([1.23456789]) with precision 4 / 2
    expect(formatArray([1.23456789], [1], "float32", { precision: 4 })).toBe(
      "array([1.2346], dtype=float32)",
    );
    expect(formatArray([1.23456789], [1], "float32", { precision: 2 })).toBe(
      "array([1.23], dtype=float32)",
    );
    expect(formatArray([1.23456789, 1], [2], "float32", { precision: 0 })).toBe(
      "array([1, 1], dtype=float32)",
    );
    expect(
      formatArray([-1.5, Number.NaN, Number.NEGATIVE_INFINITY], [3], "float16", { precision: 3 }),
    ).toBe("array([-1.500, nan, -inf], dtype=float16)");
  });

  it("never switches to exponent notation and keeps the sign of a rounded-away negative", () => {
    expect(formatArray([1e20], [], "float32", { precision: 2 })).toBe(
      "array(100000002004087734272.00, dtype=float32)",
    );
    expect(formatArray([-0.001], [], "float32", { precision: 2 })).toBe(
      "array(-0.00, dtype=float32)",
    );
  });

  it("ties to even on the exact value", () => {
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(3.5, 0)).toBe("4");
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(0.375, 2)).toBe("0.38");
  });

  it("does not affect ints or bools", () => {
    expect(formatArray([3], [], "int32", { precision: 2 })).toBe("array(3, dtype=int32)");
    expect(formatArray([1], [], "bool", { precision: 2 })).toBe("array(True, dtype=bool)");
  });

  it("-1 means default formatting", () => {
    expect(formatArray([1.23456789], [1], "float32", { precision: -1 })).toBe(
      "array([1.23457], dtype=float32)",
    );
  });
});

describe("formatArray: empty arrays", () => {
  it("shape [0]", () => {
    expect(formatArray([], [0], "float32")).toBe("array([], dtype=float32)");
  });
  it("shape [2, 0]", () => {
    expect(formatArray([], [2, 0], "float32")).toBe("array([[],\n       []], dtype=float32)");
  });
  it("shape [0, 3] and [3, 2, 0]", () => {
    expect(formatArray([], [0, 3], "int32")).toBe("array([], dtype=int32)");
    expect(formatArray([], [1, 2, 0], "bool")).toBe("array([[[],\n        []]], dtype=bool)");
  });
});

describe("formatArray: higher dimensions and summarisation", () => {
  it("2-D floats", () => {
    expect(formatArray([1, 2.5, 3, 4], [2, 2], "float32")).toBe(
      "array([[1, 2.5],\n       [3, 4]], dtype=float32)",
    );
  });

  it("3-D shape [2, 2, 3]", () => {
    expect(formatArray(range(12), [2, 2, 3], "int32")).toBe(
      "array([[[0, 1, 2],\n" +
        "        [3, 4, 5]],\n" +
        "       [[6, 7, 8],\n" +
        "        [9, 10, 11]]], dtype=int32)",
    );
  });

  it("4-D: separators of dimension d are followed by 7 + d spaces", () => {
    expect(formatArray(range(4), [1, 2, 1, 2], "int32")).toBe(
      "array([[[[0, 1]],\n" + "        [[2, 3]]]], dtype=int32)",
    );
  });

  it("large 1-D array keeps 3 edge items", () => {
    expect(formatArray(range(10), [10], "int32")).toBe(
      "array([0, 1, 2, ..., 7, 8, 9], dtype=int32)",
    );
    const big = new Float32Array(1_000_000);
    for (let i = 0; i < big.length; i++) big[i] = i / 2;
    expect(formatArray(big, [big.length], "float32")).toBe(
      // 499998.5 and 499999.5 are exact ties at 6 digits: printf rounds them to even
      "array([0, 0.5, 1, ..., 499998, 499999, 500000], dtype=float32)",
    );
  });

  it("large 2-D array summarises rows and columns independently (no column padding)", () => {
    expect(formatArray(range(64), [8, 8], "int32")).toBe(
      "array([[0, 1, 2, ..., 5, 6, 7],\n" +
        "       [8, 9, 10, ..., 13, 14, 15],\n" +
        "       [16, 17, 18, ..., 21, 22, 23],\n" +
        "       ...,\n" +
        "       [40, 41, 42, ..., 45, 46, 47],\n" +
        "       [48, 49, 50, ..., 53, 54, 55],\n" +
        "       [56, 57, 58, ..., 61, 62, 63]], dtype=int32)",
    );
  });

  it("only the long dimension is summarised", () => {
    expect(formatArray(range(20), [2, 10], "int32")).toBe(
      "array([[0, 1, 2, ..., 7, 8, 9],\n" + "       [10, 11, 12, ..., 17, 18, 19]], dtype=int32)",
    );
    expect(formatArray(range(14), [7, 2], "int32")).toBe(
      "array([[0, 1],\n" +
        "       [2, 3],\n" +
        "       [4, 5],\n" +
        "       ...,\n" +
        "       [8, 9],\n" +
        "       [10, 11],\n" +
        "       [12, 13]], dtype=int32)",
    );
  });

  it("3-D summarised along the first axis", () => {
    expect(formatArray(range(28), [7, 2, 2], "int32")).toBe(
      "array([[[0, 1],\n" +
        "        [2, 3]],\n" +
        "       [[4, 5],\n" +
        "        [6, 7]],\n" +
        "       [[8, 9],\n" +
        "        [10, 11]],\n" +
        "       ...,\n" +
        "       [[16, 17],\n" +
        "        [18, 19]],\n" +
        "       [[20, 21],\n" +
        "        [22, 23]],\n" +
        "       [[24, 25],\n" +
        "        [26, 27]]], dtype=int32)",
    );
  });

  it("3-D summarised along the middle axis", () => {
    expect(formatArray(range(14), [1, 7, 2], "int32")).toBe(
      "array([[[0, 1],\n" +
        "        [2, 3],\n" +
        "        [4, 5],\n" +
        "        ...,\n" +
        "        [8, 9],\n" +
        "        [10, 11],\n" +
        "        [12, 13]]], dtype=int32)",
    );
  });
});

describe("formatArray: argument checks", () => {
  it("throws when there are fewer values than the shape needs", () => {
    expect(() => formatArray([1, 2, 3], [2, 2], "int32")).toThrow(RangeError);
    expect(() => formatArray([], [], "int32")).toThrow(RangeError);
  });
  it("throws on an invalid shape", () => {
    expect(() => formatArray([1], [-1], "int32")).toThrow(RangeError);
    expect(() => formatArray([1], [1.5], "int32")).toThrow(RangeError);
  });
});

describe("element helpers", () => {
  it("formatElement", () => {
    expect(formatElement(0.1, "float32")).toBe("0.1");
    expect(formatElement(true, "bool")).toBe("True");
    expect(formatElement(7, "uint32")).toBe("7");
  });
  it("rounding helpers are exact for representable values and round half to even", () => {
    expect(roundToFloat16(1.2001953125)).toBe(1.2001953125);
    expect(roundToFloat16(1 + 2 ** -11)).toBe(1); // tie -> even
    expect(roundToFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9); // tie -> even (up)
    expect(roundToFloat16(65520)).toBe(Number.POSITIVE_INFINITY);
    expect(roundToFloat16(2 ** -25)).toBe(0); // tie with 0 -> even
    expect(roundToFloat16(2 ** -24)).toBe(2 ** -24); // smallest subnormal
    expect(roundToBfloat16(0.1)).toBe(0.10009765625);
    expect(Object.is(roundToBfloat16(-0), -0)).toBe(true);
  });
});
