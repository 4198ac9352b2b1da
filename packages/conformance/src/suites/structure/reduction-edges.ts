import { array, logsumexp, max, mean, min, sum, zeros } from "@nnkit/core";
import { describe, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { expectArray, expectCloseF32, expectNnkitError } from "./expect.js";
import { f32 } from "./host-reference.js";

const INF = Number.POSITIVE_INFINITY;
const NAN = Number.NaN;

export function defineReductionEdgeSuite(options: SuiteOptions): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;

  describe("reduction edge cases", () => {
    it("max and min propagate NaN wherever it sits", async () => {
      for (const row of [
        [NAN, 1, 2],
        [1, NAN, 2],
        [1, 2, NAN],
        [-INF, NAN, INF],
      ]) {
        await expectArray(max(array(row)), { shape: [], dtype: "float32", values: [NAN] });
        await expectArray(min(array(row)), { shape: [], dtype: "float32", values: [NAN] });
      }
      const x = () =>
        array([
          [1, NAN, 3],
          [4, 5, 6],
        ]);
      await expectArray(max(x(), 1), { shape: [2], dtype: "float32", values: [NAN, 6] });
      await expectArray(min(x(), 1), { shape: [2], dtype: "float32", values: [NAN, 4] });
      await expectArray(max(x(), 0), { shape: [3], dtype: "float32", values: [4, NAN, 6] });
      await expectArray(min(x(), -2), { shape: [3], dtype: "float32", values: [1, NAN, 3] });
    });

    it("logsumexp propagates NaN, also next to infinities", async () => {
      for (const row of [
        [NAN, 1],
        [1, NAN],
        [INF, NAN],
        [NAN, -INF],
      ]) {
        await expectArray(logsumexp(array(row)), { shape: [], dtype: "float32", values: [NAN] });
      }
      await expectCloseF32(
        logsumexp(
          array([
            [0, NAN],
            [0, 0],
          ]),
          1,
        ),
        { shape: [2], values: [NAN, Math.LN2] },
        maxUlp,
      );
    });

    it("sum propagates NaN and infinities", async () => {
      await expectArray(sum(array([1, NAN, 2])), { shape: [], dtype: "float32", values: [NAN] });
      await expectArray(sum(array([1, INF, 2])), { shape: [], dtype: "float32", values: [INF] });
      await expectArray(sum(array([INF, -INF])), { shape: [], dtype: "float32", values: [NAN] });
    });

    it("logsumexp with infinities (MLX's cases)", async () => {
      const lse = (v: number[]) => logsumexp(array(v));
      await expectArray(lse([-INF, -INF]), { shape: [], dtype: "float32", values: [-INF] });
      await expectArray(lse([0, -INF]), { shape: [], dtype: "float32", values: [0] });
      await expectArray(lse([0, INF]), { shape: [], dtype: "float32", values: [INF] });
      await expectArray(lse([INF, INF]), { shape: [], dtype: "float32", values: [INF] });
      await expectArray(lse([-INF, INF]), { shape: [], dtype: "float32", values: [INF] });
      await expectArray(
        logsumexp(
          array([
            [-INF, -INF],
            [0, -INF],
          ]),
          1,
        ),
        {
          shape: [2],
          dtype: "float32",
          values: [-INF, 0],
        },
      );
    });

    it("logsumexp of large values does not overflow", async () => {
      // log(2·e^1e30) = 1e30 + ln 2, which is 1e30 in float32.
      await expectArray(logsumexp(array([1e30, 1e30])), {
        shape: [],
        dtype: "float32",
        values: [f32(1e30)],
      });
      await expectArray(logsumexp(array([-1e30, -1e30])), {
        shape: [],
        dtype: "float32",
        values: [f32(-1e30)],
      });
      // e^88 · 2 overflows float32, the result 88.693… does not.
      await expectCloseF32(
        logsumexp(array([88, 88])),
        { shape: [], values: [88 + Math.LN2] },
        maxUlp,
      );
      await expectCloseF32(
        logsumexp(array([100, 0])),
        { shape: [], values: [100 + Math.log1p(Math.exp(-100))] },
        maxUlp,
      );
      await expectCloseF32(
        logsumexp(array([-200, -200])),
        { shape: [], values: [-200 + Math.LN2] },
        maxUlp,
      );
    });

    it("sum of bool counts the true values as int32", async () => {
      await expectArray(sum(array([true, false, true, true])), {
        shape: [],
        dtype: "int32",
        values: [3],
      });
      await expectArray(
        sum(
          array([
            [true, false],
            [true, true],
          ]),
          0,
        ),
        { shape: [2], dtype: "int32", values: [2, 1] },
      );
    });

    it("int32 and uint32 sums wrap around modulo 2^32 and stay integer", async () => {
      await expectArray(sum(array(new Int32Array([2147483647, 1]))), {
        shape: [],
        dtype: "int32",
        values: [-2147483648],
      });
      await expectArray(sum(array(new Int32Array([-2147483648, -1]))), {
        shape: [],
        dtype: "int32",
        values: [2147483647],
      });
      await expectArray(sum(array(new Uint32Array([4294967295, 2]))), {
        shape: [],
        dtype: "uint32",
        values: [1],
      });
      // 2^24 + 1 is not a float32; an integer sum must not go through float32.
      await expectArray(sum(array(new Int32Array([16777216, 1]))), {
        shape: [],
        dtype: "int32",
        values: [16777217],
      });
    });

    it("max and min keep integer dtypes", async () => {
      await expectArray(max(array(new Int32Array([-5, 16777217, 3]))), {
        shape: [],
        dtype: "int32",
        values: [16777217],
      });
      await expectArray(min(array(new Uint32Array([7, 4294967295]))), {
        shape: [],
        dtype: "uint32",
        values: [7],
      });
    });

    it("mean of integers and bools is float32", async () => {
      await expectArray(mean(array([1, 2], "int32")), {
        shape: [],
        dtype: "float32",
        values: [1.5],
      });
      await expectArray(
        mean(
          array(
            [
              [1, 2],
              [4, 8],
            ],
            "int32",
          ),
          1,
        ),
        { shape: [2], dtype: "float32", values: [1.5, 6] },
      );
      await expectArray(mean(array([true, false, false, false])), {
        shape: [],
        dtype: "float32",
        values: [0.25],
      });
      await expectCloseF32(
        logsumexp(array([0, 0], "int32")),
        { shape: [], values: [Math.LN2] },
        maxUlp,
      );
    });

    itWithDtypes(options, ["float16"], "float16 inputs reduce to float16", async () => {
      await expectArray(sum(array([1, 2, 0.5], "float16")), {
        shape: [],
        dtype: "float16",
        values: [3.5],
      });
    });

    itWithDtypes(options, ["bfloat16"], "bfloat16 inputs reduce to bfloat16", async () => {
      await expectArray(max(array([1, -2, 0.5], "bfloat16")), {
        shape: [],
        dtype: "bfloat16",
        values: [1],
      });
    });

    it("sum over an empty axis is 0; max and min over a non-empty axis of an empty array are empty", async () => {
      await expectArray(sum(zeros([0])), { shape: [], dtype: "float32", values: [0] });
      await expectArray(sum(zeros([2, 0]), 1), { shape: [2], dtype: "float32", values: [0, 0] });
      await expectArray(sum(zeros([2, 0], "int32"), 1, true), {
        shape: [2, 1],
        dtype: "int32",
        values: [0, 0],
      });
      await expectArray(sum(zeros([0, 3]), 0), { shape: [3], dtype: "float32", values: [0, 0, 0] });
      await expectArray(max(zeros([0, 3]), 1), { shape: [0], dtype: "float32", values: [] });
      await expectArray(min(zeros([0, 3]), 1, true), {
        shape: [0, 1],
        dtype: "float32",
        values: [],
      });
    });

    it("max, min and logsumexp over an empty axis throw", () => {
      const empty = zeros([0]);
      const rows = zeros([2, 0]);
      expectNnkitError(() => max(empty), "max", "empty axis");
      expectNnkitError(() => min(empty), "min", "empty axis");
      expectNnkitError(() => logsumexp(empty), "logsumexp", "empty axis");
      expectNnkitError(() => max(rows, 1), "max", "empty axis", "(2, 0)");
      expectNnkitError(() => rows.min(-1), "min", "empty axis");
      expectNnkitError(() => rows.logsumexp(), "logsumexp", "empty axis");
    });

    it("0-d inputs reduce to themselves", async () => {
      await expectArray(sum(array(2.5)), { shape: [], dtype: "float32", values: [2.5] });
      await expectArray(max(array(-1), undefined, true), {
        shape: [],
        dtype: "float32",
        values: [-1],
      });
      await expectArray(logsumexp(array(3)), { shape: [], dtype: "float32", values: [3] });
    });
  });
}
