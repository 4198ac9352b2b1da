import { arange, array, concatenate, type Array as NdArray, split, transpose } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { type Expected, expectArray } from "./expect.js";

async function expectParts(
  parts: readonly NdArray[],
  expected: readonly Expected[],
): Promise<void> {
  expect(parts.length, "number of parts").toBe(expected.length);
  for (let i = 0; i < parts.length; i++)
    await expectArray(parts[i] as NdArray, expected[i] as Expected);
}

export function defineSplitConcatSuite(options: SuiteOptions): void {
  describe("split", () => {
    it("into equal sections", async () => {
      await expectParts(split(arange(6), 3), [
        { shape: [2], dtype: "int32", values: [0, 1] },
        { shape: [2], dtype: "int32", values: [2, 3] },
        { shape: [2], dtype: "int32", values: [4, 5] },
      ]);
      await expectParts(split(arange(4), 1), [
        { shape: [4], dtype: "int32", values: [0, 1, 2, 3] },
      ]);
    });

    it("at indices, including empty parts and indices past the end", async () => {
      await expectParts(split(arange(6), [1, 4]), [
        { shape: [1], dtype: "int32", values: [0] },
        { shape: [3], dtype: "int32", values: [1, 2, 3] },
        { shape: [2], dtype: "int32", values: [4, 5] },
      ]);
      await expectParts(split(arange(6), [2, 2]), [
        { shape: [2], dtype: "int32", values: [0, 1] },
        { shape: [0], dtype: "int32", values: [] },
        { shape: [4], dtype: "int32", values: [2, 3, 4, 5] },
      ]);
      await expectParts(split(arange(4), [-1]), [
        { shape: [3], dtype: "int32", values: [0, 1, 2] },
        { shape: [1], dtype: "int32", values: [3] },
      ]);
      await expectParts(split(arange(3), [5]), [
        { shape: [3], dtype: "int32", values: [0, 1, 2] },
        { shape: [0], dtype: "int32", values: [] },
      ]);
    });

    it("along other axes, negative ones included", async () => {
      const x = () => arange(12).reshape([2, 6]);
      // [[0..5], [6..11]]
      await expectParts(split(x(), 2, -1), [
        { shape: [2, 3], dtype: "int32", values: [0, 1, 2, 6, 7, 8] },
        { shape: [2, 3], dtype: "int32", values: [3, 4, 5, 9, 10, 11] },
      ]);
      await expectParts(x().split([1, 5], 1), [
        { shape: [2, 1], dtype: "int32", values: [0, 6] },
        { shape: [2, 4], dtype: "int32", values: [1, 2, 3, 4, 7, 8, 9, 10] },
        { shape: [2, 1], dtype: "int32", values: [5, 11] },
      ]);
      await expectParts(split(x(), 2, -2), [
        { shape: [1, 6], dtype: "int32", values: [0, 1, 2, 3, 4, 5] },
        { shape: [1, 6], dtype: "int32", values: [6, 7, 8, 9, 10, 11] },
      ]);
    });

    it("of a transposed input", async () => {
      // transpose([[0, 1, 2], [3, 4, 5]]) = [[0, 3], [1, 4], [2, 5]]
      const t = transpose(arange(6).reshape([2, 3]));
      await expectParts(split(t, [1], 0), [
        { shape: [1, 2], dtype: "int32", values: [0, 3] },
        { shape: [2, 2], dtype: "int32", values: [1, 4, 2, 5] },
      ]);
      await expectParts(split(t, 2, 1), [
        { shape: [3, 1], dtype: "int32", values: [0, 1, 2] },
        { shape: [3, 1], dtype: "int32", values: [3, 4, 5] },
      ]);
    });

    it("parts feed later ops with the right offsets", async () => {
      const [a, b] = split(arange(8).reshape([2, 4]), 2, 1) as [NdArray, NdArray];
      await a.data();
      await expectArray(b.add(a), { shape: [2, 2], dtype: "int32", values: [2, 4, 10, 12] });
      await expectArray(b.transpose(), { shape: [2, 2], dtype: "int32", values: [2, 6, 3, 7] });
    });
  });

  describe("concatenate", () => {
    it("along axis 0 (the default)", async () => {
      await expectArray(concatenate([array([1, 2]), array([3]), array([4, 5, 6])]), {
        shape: [6],
        dtype: "float32",
        values: [1, 2, 3, 4, 5, 6],
      });
      await expectArray(concatenate([arange(4).reshape([2, 2]), arange(2).reshape([1, 2])]), {
        shape: [3, 2],
        dtype: "int32",
        values: [0, 1, 2, 3, 0, 1],
      });
    });

    it("along inner and negative axes", async () => {
      const a = () => arange(4).reshape([2, 2]); // [[0, 1], [2, 3]]
      const b = () => arange(10, 16).reshape([2, 3]); // [[10, 11, 12], [13, 14, 15]]
      const expected: Expected = {
        shape: [2, 5],
        dtype: "int32",
        values: [0, 1, 10, 11, 12, 2, 3, 13, 14, 15],
      };
      await expectArray(concatenate([a(), b()], 1), expected);
      await expectArray(concatenate([a(), b()], -1), expected);
      const c = () => arange(8).reshape([2, 2, 2]);
      await expectArray(concatenate([c(), c()], -2), {
        shape: [2, 4, 2],
        dtype: "int32",
        values: [0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7],
      });
      await expectArray(concatenate([c(), arange(4).reshape([2, 2, 1])], 2), {
        shape: [2, 2, 3],
        dtype: "int32",
        values: [0, 1, 0, 2, 3, 1, 4, 5, 2, 6, 7, 3],
      });
    });

    it("promotes dtypes as binary ops do", async () => {
      await expectArray(concatenate([array([1, 2], "int32"), array([0.5])]), {
        shape: [3],
        dtype: "float32",
        values: [1, 2, 0.5],
      });
      await expectArray(concatenate([array([true, false]), array([7], "int32")]), {
        shape: [3],
        dtype: "int32",
        values: [1, 0, 7],
      });
    });

    itWithDtypes(
      options,
      ["float16", "bfloat16"],
      "promotes half dtypes as binary ops do",
      async () => {
        await expectArray(concatenate([array([1.5], "float16"), array([2], "int32")]), {
          shape: [2],
          dtype: "float16",
          values: [1.5, 2],
        });
        await expectArray(concatenate([array([1], "float16"), array([2], "bfloat16")]), {
          shape: [2],
          dtype: "float32",
          values: [1, 2],
        });
      },
    );

    it("of non-contiguous inputs (transposed, sliced, broadcast)", async () => {
      const t = transpose(arange(6).reshape([2, 3])); // [[0, 3], [1, 4], [2, 5]]
      const [, tail] = split(arange(8).reshape([4, 2]), [1]) as [NdArray, NdArray]; // rows 1..3
      await expectArray(concatenate([t, tail]), {
        shape: [6, 2],
        dtype: "int32",
        values: [0, 3, 1, 4, 2, 5, 2, 3, 4, 5, 6, 7],
      });
      await expectArray(concatenate([t, arange(3).reshape([3, 1]).broadcastTo([3, 2])], 1), {
        shape: [3, 4],
        dtype: "int32",
        values: [0, 3, 0, 0, 1, 4, 1, 1, 2, 5, 2, 2],
      });
    });

    it("of evaluated non-contiguous inputs", async () => {
      const t = transpose(arange(6).reshape([2, 3]));
      await t.data();
      await expectArray(concatenate([t, t], 1), {
        shape: [3, 4],
        dtype: "int32",
        values: [0, 3, 0, 3, 1, 4, 1, 4, 2, 5, 2, 5],
      });
    });

    it("with an empty input and of a single input", async () => {
      await expectArray(concatenate([arange(0), arange(3)]), {
        shape: [3],
        dtype: "int32",
        values: [0, 1, 2],
      });
      await expectArray(concatenate([array([[1, 2]])], 0), {
        shape: [1, 2],
        dtype: "float32",
        values: [1, 2],
      });
    });

    it("split then concatenate round-trips", async () => {
      const x = arange(24).reshape([2, 3, 4]);
      const parts = split(x, [1, 3], 2);
      await expectArray(concatenate(parts, 2), {
        shape: [2, 3, 4],
        dtype: "int32",
        values: Array.from({ length: 24 }, (_, i) => i),
      });
    });
  });
}
