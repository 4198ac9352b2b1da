import { add, arange, array, multiply, subtract, transpose, where, zeros } from "@nnkit/core";
import { describe, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { expectArray } from "./expect.js";
import { broadcastRead, type HostArray, sizeOf, unravel } from "./host-reference.js";

/** NumPy broadcasting of `inputs` to `shape`, combined elementwise by `f`, on the host. */
function hostBroadcast(
  shape: readonly number[],
  inputs: readonly HostArray[],
  f: (...v: number[]) => number,
): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, flat) => {
    const idx = unravel(flat, shape);
    return f(...inputs.map((x) => broadcastRead(x, idx)));
  });
}

export function defineBroadcastingSuite(_options: SuiteOptions): void {
  describe("broadcasting (NumPy rules)", () => {
    const x3 = { shape: [2, 3, 4], values: Array.from({ length: 24 }, (_, i) => i) };

    it("a scalar against a 3-D array, on either side", async () => {
      const expected = hostBroadcast([2, 3, 4], [x3], (v) => v * 2.5);
      await expectArray(multiply(2.5, arange(24).reshape([2, 3, 4])), {
        shape: [2, 3, 4],
        dtype: "float32",
        values: expected,
      });
      await expectArray(multiply(arange(24).reshape([2, 3, 4]).astype("float32"), array(2.5)), {
        shape: [2, 3, 4],
        dtype: "float32",
        values: expected,
      });
      await expectArray(subtract(100, arange(24).reshape([2, 3, 4])), {
        shape: [2, 3, 4],
        dtype: "int32",
        values: hostBroadcast([2, 3, 4], [x3], (v) => 100 - v),
      });
    });

    it("(3, 1) with (1, 4) gives (3, 4)", async () => {
      const a = { shape: [3, 1], values: [1, 2, 3] };
      const b = { shape: [1, 4], values: [10, 20, 30, 40] };
      await expectArray(multiply(array([[1], [2], [3]]), array([[10, 20, 30, 40]])), {
        shape: [3, 4],
        dtype: "float32",
        values: hostBroadcast([3, 4], [a, b], (u, v) => u * v),
      });
      // And in hand-written form, to keep the helper honest.
      await expectArray(add(array([[1], [2], [3]]), array([[10, 20, 30, 40]])), {
        shape: [3, 4],
        dtype: "float32",
        values: [11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43],
      });
    });

    it("(1, 4) with (2, 1, 1) gives (2, 1, 4)", async () => {
      await expectArray(subtract(array([[1, 2, 3, 4]]), array([[[10]], [[20]]])), {
        shape: [2, 1, 4],
        dtype: "float32",
        values: [-9, -8, -7, -6, -19, -18, -17, -16],
      });
    });

    it("(4,) with (2, 3, 1) and (3, 4) with (2, 1, 4)", async () => {
      const a = { shape: [4], values: [1, 2, 3, 4] };
      const b = { shape: [2, 3, 1], values: [0, 10, 20, 30, 40, 50] };
      await expectArray(
        add(
          array([1, 2, 3, 4]),
          array([
            [[0], [10], [20]],
            [[30], [40], [50]],
          ]),
        ),
        {
          shape: [2, 3, 4],
          dtype: "float32",
          values: hostBroadcast([2, 3, 4], [a, b], (u, v) => u + v),
        },
      );
      const c = { shape: [3, 4], values: Array.from({ length: 12 }, (_, i) => i) };
      const d = { shape: [2, 1, 4], values: [100, 200, 300, 400, 500, 600, 700, 800] };
      await expectArray(
        add(arange(12).reshape([3, 4]), arange(1, 9).multiply(100).reshape([2, 1, 4])),
        {
          shape: [2, 3, 4],
          dtype: "int32",
          values: hostBroadcast([2, 3, 4], [c, d], (u, v) => u + v),
        },
      );
    });

    it("where broadcasts condition, x and y of three different shapes", async () => {
      const cond = { shape: [3, 1], values: [1, 0, 1] };
      const x = { shape: [1, 4], values: [1, 2, 3, 4] };
      const y = { shape: [2, 1, 1], values: [-1, -2] };
      const out = where(
        array([[true], [false], [true]]),
        array([[1, 2, 3, 4]]),
        array([[[-1]], [[-2]]]),
      );
      await expectArray(out, {
        shape: [2, 3, 4],
        dtype: "float32",
        values: hostBroadcast([2, 3, 4], [cond, x, y], (c, a, b) => (c ? a : b)),
      });
      await expectArray(where(array([true, false, true]), 1, array([[5], [6]])), {
        shape: [2, 3],
        dtype: "float32",
        values: [1, 5, 1, 1, 6, 1],
      });
    });

    it("non-contiguous operands broadcast by their logical shape", async () => {
      // transpose(arange(3).reshape([1, 3])) is the column [[0], [1], [2]].
      const col = transpose(arange(3).reshape([1, 3]));
      await expectArray(add(col, array([[10, 20]], "int32")), {
        shape: [3, 2],
        dtype: "int32",
        values: [10, 20, 11, 21, 12, 22],
      });
    });

    it("size-0 dimensions broadcast with size 1 and give empty results", async () => {
      await expectArray(add(zeros([0, 3]), array([[1, 2, 3]])), {
        shape: [0, 3],
        dtype: "float32",
        values: [],
      });
      await expectArray(add(zeros([2, 1]), zeros([2, 0])), {
        shape: [2, 0],
        dtype: "float32",
        values: [],
      });
      await expectArray(add(zeros([0]), array([5])), { shape: [0], dtype: "float32", values: [] });
      await expectArray(multiply(zeros([3, 0, 1]), zeros([4])), {
        shape: [3, 0, 4],
        dtype: "float32",
        values: [],
      });
      await expectArray(where(zeros([0, 1], "bool"), array([1, 2]), 0), {
        shape: [0, 2],
        dtype: "float32",
        values: [],
      });
    });
  });
}
