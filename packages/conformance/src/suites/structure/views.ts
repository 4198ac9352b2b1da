import {
  arange,
  array,
  broadcastTo,
  expandDims,
  reshape,
  squeeze,
  transpose,
  zeros,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { expectArray } from "./expect.js";
import { hostTranspose } from "./host-reference.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function defineViewSuite(_options: SuiteOptions): void {
  describe("shapes and views", () => {
    describe("reshape", () => {
      it("keeps the row-major order of the elements", async () => {
        await expectArray(reshape(arange(6), [2, 3]), {
          shape: [2, 3],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(arange(6).reshape([3, 1, 2]), {
          shape: [3, 1, 2],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(reshape(array(5), [1, 1]), {
          shape: [1, 1],
          dtype: "float32",
          values: [5],
        });
        await expectArray(reshape(array([5]), []), { shape: [], dtype: "float32", values: [5] });
      });

      it("infers one -1 dimension", async () => {
        await expectArray(reshape(arange(12), [3, -1]), {
          shape: [3, 4],
          dtype: "int32",
          values: range(12),
        });
        await expectArray(reshape(arange(12), [-1, 2, 2]), {
          shape: [3, 2, 2],
          dtype: "int32",
          values: range(12),
        });
        await expectArray(reshape(arange(12).reshape([3, 4]), [-1]), {
          shape: [12],
          dtype: "int32",
          values: range(12),
        });
        await expectArray(reshape(zeros([0, 3]), [-1, 3]), {
          shape: [0, 3],
          dtype: "float32",
          values: [],
        });
      });

      it("of a non-contiguous (transposed) input reads it in its logical order", async () => {
        // [[0, 1, 2], [3, 4, 5]] transposed is [[0, 3], [1, 4], [2, 5]].
        const t = transpose(arange(6).reshape([2, 3]));
        await expectArray(reshape(t, [-1]), {
          shape: [6],
          dtype: "int32",
          values: [0, 3, 1, 4, 2, 5],
        });
        await expectArray(reshape(t, [2, 3]), {
          shape: [2, 3],
          dtype: "int32",
          values: [0, 3, 1, 4, 2, 5],
        });
        await expectArray(t.reshape([3, 1, 2]), {
          shape: [3, 1, 2],
          dtype: "int32",
          values: [0, 3, 1, 4, 2, 5],
        });
      });

      it("of an evaluated transposed input", async () => {
        const t = transpose(arange(6).reshape([2, 3]));
        await t.data();
        await expectArray(reshape(t, [2, 3]), {
          shape: [2, 3],
          dtype: "int32",
          values: [0, 3, 1, 4, 2, 5],
        });
      });

      it("to the same shape returns an array with the same contents", async () => {
        const x = array([[1, 2]]);
        await expectArray(reshape(x, [1, 2]), { shape: [1, 2], dtype: "float32", values: [1, 2] });
      });
    });

    describe("transpose", () => {
      const x = { shape: [2, 3, 4], values: range(24) };

      it("reverses the axes by default", async () => {
        const expected = hostTranspose(x, [2, 1, 0]);
        await expectArray(transpose(arange(24).reshape([2, 3, 4])), {
          ...expected,
          dtype: "int32",
        });
        await expectArray(arange(24).reshape([2, 3, 4]).transpose(), {
          ...expected,
          dtype: "int32",
        });
        // Spot check by hand: out[i, j, k] = x[k, j, i] = 12k + 4j + i.
        const v = await transpose(arange(24).reshape([2, 3, 4])).data();
        expect(v[1 * 6 + 2 * 2 + 1]).toBe(12 * 1 + 4 * 2 + 1);
      });

      it("with an explicit permutation", async () => {
        await expectArray(transpose(arange(24).reshape([2, 3, 4]), [1, 0, 2]), {
          ...hostTranspose(x, [1, 0, 2]),
          dtype: "int32",
        });
        await expectArray(transpose(arange(24).reshape([2, 3, 4]), [0, 1, 2]), {
          shape: [2, 3, 4],
          dtype: "int32",
          values: range(24),
        });
        await expectArray(
          transpose(
            array([
              [1, 2, 3],
              [4, 5, 6],
            ]),
            [1, 0],
          ),
          { shape: [3, 2], dtype: "float32", values: [1, 4, 2, 5, 3, 6] },
        );
      });

      it("with negative axes", async () => {
        // [-1, 0, 1] is the permutation [2, 0, 1].
        await expectArray(transpose(arange(24).reshape([2, 3, 4]), [-1, 0, 1]), {
          ...hostTranspose(x, [2, 0, 1]),
          dtype: "int32",
        });
        await expectArray(arange(24).reshape([2, 3, 4]).transpose([-2, -3, -1]), {
          ...hostTranspose(x, [1, 0, 2]),
          dtype: "int32",
        });
      });

      it("of a transposed array composes the permutations", async () => {
        const t = transpose(transpose(arange(24).reshape([2, 3, 4]), [1, 2, 0]), [2, 0, 1]);
        await expectArray(t, { shape: [2, 3, 4], dtype: "int32", values: range(24) });
      });

      it("of 0-d and 1-d arrays is the identity", async () => {
        await expectArray(transpose(array(3)), { shape: [], dtype: "float32", values: [3] });
        await expectArray(transpose(arange(3)), { shape: [3], dtype: "int32", values: [0, 1, 2] });
      });
    });

    describe("expandDims", () => {
      it("inserts size-1 axes at positions of the result", async () => {
        const x = () => arange(6).reshape([2, 3]);
        await expectArray(expandDims(x(), 0), {
          shape: [1, 2, 3],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(x(), 1), {
          shape: [2, 1, 3],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(x(), 2), {
          shape: [2, 3, 1],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(x(), -1), {
          shape: [2, 3, 1],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(x(), -3), {
          shape: [1, 2, 3],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(x(), [0, 3]), {
          shape: [1, 2, 3, 1],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(x().expandDims([-1, 0]), {
          shape: [1, 2, 3, 1],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(expandDims(array(4), 0), { shape: [1], dtype: "float32", values: [4] });
      });

      it("of a transposed input", async () => {
        const t = transpose(arange(6).reshape([2, 3]));
        await expectArray(expandDims(t, 1), {
          shape: [3, 1, 2],
          dtype: "int32",
          values: [0, 3, 1, 4, 2, 5],
        });
      });
    });

    describe("squeeze", () => {
      it("removes every size-1 axis by default, or the named ones", async () => {
        const x = () => arange(6).reshape([1, 2, 1, 3]);
        await expectArray(squeeze(x()), { shape: [2, 3], dtype: "int32", values: range(6) });
        await expectArray(squeeze(x(), 2), { shape: [1, 2, 3], dtype: "int32", values: range(6) });
        await expectArray(squeeze(x(), [0, -2]), {
          shape: [2, 3],
          dtype: "int32",
          values: range(6),
        });
        await expectArray(x().squeeze(0), { shape: [2, 1, 3], dtype: "int32", values: range(6) });
        await expectArray(squeeze(array([[7]])), { shape: [], dtype: "float32", values: [7] });
        await expectArray(squeeze(arange(3)), { shape: [3], dtype: "int32", values: [0, 1, 2] });
      });
    });

    describe("broadcastTo", () => {
      it("stretches size-1 axes and prepends new ones", async () => {
        await expectArray(broadcastTo(array([1, 2, 3]), [2, 3]), {
          shape: [2, 3],
          dtype: "float32",
          values: [1, 2, 3, 1, 2, 3],
        });
        await expectArray(broadcastTo(array([[1], [2], [3]]), [3, 4]), {
          shape: [3, 4],
          dtype: "float32",
          values: [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3],
        });
        await expectArray(broadcastTo(array(5, "int32"), [2, 2]), {
          shape: [2, 2],
          dtype: "int32",
          values: [5, 5, 5, 5],
        });
        await expectArray(array([[1, 2]]).broadcastTo([2, 2, 2]), {
          shape: [2, 2, 2],
          dtype: "float32",
          values: [1, 2, 1, 2, 1, 2, 1, 2],
        });
        await expectArray(broadcastTo(array([1, 2]), [0, 2]), {
          shape: [0, 2],
          dtype: "float32",
          values: [],
        });
      });

      it("of a transposed input", async () => {
        // transpose([[0, 1, 2]]) = [[0], [1], [2]], broadcast to (3, 2).
        const t = transpose(arange(3).reshape([1, 3]));
        await expectArray(broadcastTo(t, [3, 2]), {
          shape: [3, 2],
          dtype: "int32",
          values: [0, 0, 1, 1, 2, 2],
        });
      });

      it("a broadcast array feeds later ops like a materialised one", async () => {
        const b = broadcastTo(array([1, 2, 3]), [2, 3]);
        await b.data();
        await expectArray(b.transpose().add(array([[10, 20]])), {
          shape: [3, 2],
          dtype: "float32",
          values: [11, 21, 12, 22, 13, 23],
        });
        await expectArray(b.reshape([-1]), {
          shape: [6],
          dtype: "float32",
          values: [1, 2, 3, 1, 2, 3],
        });
      });
    });
  });
}
