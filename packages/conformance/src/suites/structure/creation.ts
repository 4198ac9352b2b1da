import { arange, array, full, getDefaultDevice, linspace, ones, zeros } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { expectArray } from "./expect.js";
import { f32 } from "./host-reference.js";

export function defineCreationSuite(options: SuiteOptions): void {
  describe("creation", () => {
    describe("array()", () => {
      it("from a number: a 0-d float32 array (int32 with a dtype)", async () => {
        await expectArray(array(2.5), { shape: [], dtype: "float32", values: [2.5] });
        await expectArray(array(7), { shape: [], dtype: "float32", values: [7] });
        await expectArray(array(-3, "int32"), { shape: [], dtype: "int32", values: [-3] });
        // 0.1 rounds once to float32.
        await expectArray(array(0.1), { shape: [], dtype: "float32", values: [f32(0.1)] });
      });

      it("from a boolean: a 0-d bool array", async () => {
        await expectArray(array(true), { shape: [], dtype: "bool", values: [1] });
        await expectArray(array(false), { shape: [], dtype: "bool", values: [0] });
        await expectArray(array(true, "float32"), { shape: [], dtype: "float32", values: [1] });
      });

      it("from nested arrays: shape from the nesting, float32 for numbers, bool for booleans", async () => {
        await expectArray(array([1, 2, 3]), { shape: [3], dtype: "float32", values: [1, 2, 3] });
        await expectArray(
          array([
            [1, 2, 3],
            [4, 5, 6],
          ]),
          { shape: [2, 3], dtype: "float32", values: [1, 2, 3, 4, 5, 6] },
        );
        await expectArray(
          array([
            [[1], [2]],
            [[3], [4]],
          ]),
          {
            shape: [2, 2, 1],
            dtype: "float32",
            values: [1, 2, 3, 4],
          },
        );
        await expectArray(
          array([
            [true, false],
            [false, true],
          ]),
          {
            shape: [2, 2],
            dtype: "bool",
            values: [1, 0, 0, 1],
          },
        );
        await expectArray(array([]), { shape: [0], dtype: "float32", values: [] });
        await expectArray(array([[], []]), { shape: [2, 0], dtype: "float32", values: [] });
      });

      it("a mix of numbers and booleans is numeric", async () => {
        await expectArray(array([true, 2]), { shape: [2], dtype: "float32", values: [1, 2] });
      });

      it("with a dtype: integers truncate toward zero, floats round to the dtype", async () => {
        await expectArray(array([1.9, -2.7, 3], "int32"), {
          shape: [3],
          dtype: "int32",
          values: [1, -2, 3],
        });
        await expectArray(
          array(
            [
              [1, 0],
              [2, 5],
            ],
            "uint32",
          ),
          {
            shape: [2, 2],
            dtype: "uint32",
            values: [1, 0, 2, 5],
          },
        );
        await expectArray(array([0, 2, -1], "bool"), {
          shape: [3],
          dtype: "bool",
          values: [0, 1, 1],
        });
      });

      // float16(0.1) = 0x2e66 = 1638 * 2^-14; bfloat16(0.1) = 0x3dcd = 205 * 2^-11.
      itWithDtypes(options, ["float16"], "with float16: values round to float16", async () => {
        await expectArray(array([0.1, 1], "float16"), {
          shape: [2],
          dtype: "float16",
          values: [1638 / 2 ** 14, 1],
        });
        await expectArray(array(new Float64Array([65504, 1e6]), "float16"), {
          shape: [2],
          dtype: "float16",
          values: [65504, Number.POSITIVE_INFINITY],
        });
      });

      itWithDtypes(options, ["bfloat16"], "with bfloat16: values round to bfloat16", async () => {
        await expectArray(array([0.1, 1], "bfloat16"), {
          shape: [2],
          dtype: "bfloat16",
          values: [205 / 2 ** 11, 1],
        });
      });

      it("from typed arrays: Float32Array, Float64Array (→ float32), Int32Array, Uint32Array, …", async () => {
        await expectArray(array(new Float32Array([1.5, -2])), {
          shape: [2],
          dtype: "float32",
          values: [1.5, -2],
        });
        await expectArray(array(new Float64Array([0.1, 1e-3])), {
          shape: [2],
          dtype: "float32",
          values: [f32(0.1), f32(1e-3)],
        });
        await expectArray(array(new Int32Array([-5, 2147483647])), {
          shape: [2],
          dtype: "int32",
          values: [-5, 2147483647],
        });
        await expectArray(array(new Uint32Array([4294967295, 0])), {
          shape: [2],
          dtype: "uint32",
          values: [4294967295, 0],
        });
        await expectArray(array(new Int16Array([-7])), {
          shape: [1],
          dtype: "int32",
          values: [-7],
        });
        await expectArray(array(new Int8Array([-8])), { shape: [1], dtype: "int32", values: [-8] });
        await expectArray(array(new Uint16Array([65535])), {
          shape: [1],
          dtype: "uint32",
          values: [65535],
        });
        await expectArray(array(new Uint8Array([255])), {
          shape: [1],
          dtype: "uint32",
          values: [255],
        });
      });

      it("from typed arrays with a dtype", async () => {
        await expectArray(array(new Int32Array([1, -2]), "float32"), {
          shape: [2],
          dtype: "float32",
          values: [1, -2],
        });
        await expectArray(array(new Float32Array([2.75, -1.5]), "int32"), {
          shape: [2],
          dtype: "int32",
          values: [2, -1],
        });
      });

      it("nested typed arrays", async () => {
        await expectArray(array([new Float32Array([1, 2]), new Float32Array([3, 4])]), {
          shape: [2, 2],
          dtype: "float32",
          values: [1, 2, 3, 4],
        });
      });

      it("copies its input: later changes to the source do not show", async () => {
        const src = new Float32Array([1, 2]);
        const x = array(src);
        src[0] = 100;
        await expectArray(x, { shape: [2], dtype: "float32", values: [1, 2] });
      });
    });

    describe("properties", () => {
      it("shape, dtype, size, ndim and device", () => {
        const x = array([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expect(x.shape).toEqual([2, 3]);
        expect(x.dtype).toBe("float32");
        expect(x.size).toBe(6);
        expect(x.ndim).toBe(2);
        expect(x.device).toBe(options.backend);
        expect(getDefaultDevice()).toBe(options.backend);
        const s = array(1);
        expect([s.shape, s.size, s.ndim]).toEqual([[], 1, 0]);
        const e = zeros([3, 0, 2]);
        expect([e.shape, e.size, e.ndim]).toEqual([[3, 0, 2], 0, 3]);
      });

      it("the shape is frozen", () => {
        const x = zeros([2, 2]);
        expect(Object.isFrozen(x.shape)).toBe(true);
      });
    });

    describe("zeros / ones / full", () => {
      it("zeros and ones default to float32 and take a dtype", async () => {
        await expectArray(zeros([2, 3]), {
          shape: [2, 3],
          dtype: "float32",
          values: [0, 0, 0, 0, 0, 0],
        });
        await expectArray(ones([3]), { shape: [3], dtype: "float32", values: [1, 1, 1] });
        await expectArray(zeros([2], "int32"), { shape: [2], dtype: "int32", values: [0, 0] });
        await expectArray(ones([2], "bool"), { shape: [2], dtype: "bool", values: [1, 1] });
        await expectArray(zeros([]), { shape: [], dtype: "float32", values: [0] });
        await expectArray(ones([0, 4]), { shape: [0, 4], dtype: "float32", values: [] });
      });

      itWithDtypes(options, ["float16"], "ones in float16", async () => {
        await expectArray(ones([2], "float16"), { shape: [2], dtype: "float16", values: [1, 1] });
      });

      it("full: a lazy constant with the value's dtype (float32 for numbers, bool for booleans)", async () => {
        const x = full([2, 2], 7.5);
        expect(x.isEvaluated).toBe(false);
        await expectArray(x, { shape: [2, 2], dtype: "float32", values: [7.5, 7.5, 7.5, 7.5] });
        expect(x.isEvaluated).toBe(true);
        await expectArray(full([3], true), { shape: [3], dtype: "bool", values: [1, 1, 1] });
        await expectArray(full([2], 2.5, "int32"), { shape: [2], dtype: "int32", values: [2, 2] });
        await expectArray(full([2], -1, "uint32"), {
          shape: [2],
          dtype: "uint32",
          values: [4294967295, 4294967295],
        });
      });

      it("full with an array value broadcasts it", async () => {
        await expectArray(full([2, 3], array([1, 2, 3])), {
          shape: [2, 3],
          dtype: "float32",
          values: [1, 2, 3, 1, 2, 3],
        });
        await expectArray(full([2, 2], array([[4], [5]]), "int32"), {
          shape: [2, 2],
          dtype: "int32",
          values: [4, 4, 5, 5],
        });
      });
    });

    describe("arange", () => {
      it("int32 when every argument is an integer", async () => {
        await expectArray(arange(5), { shape: [5], dtype: "int32", values: [0, 1, 2, 3, 4] });
        await expectArray(arange(2, 6), { shape: [4], dtype: "int32", values: [2, 3, 4, 5] });
        await expectArray(arange(1, 10, 3), { shape: [3], dtype: "int32", values: [1, 4, 7] });
      });

      it("float32 when any argument has a fraction", async () => {
        await expectArray(arange(0, 1, 0.25), {
          shape: [4],
          dtype: "float32",
          values: [0, 0.25, 0.5, 0.75],
        });
        await expectArray(arange(0.5, 3), {
          shape: [3],
          dtype: "float32",
          values: [0.5, 1.5, 2.5],
        });
        await expectArray(arange(2.5), { shape: [3], dtype: "float32", values: [0, 1, 2] });
      });

      it("negative steps count down; the stop is excluded", async () => {
        await expectArray(arange(5, 0, -1), {
          shape: [5],
          dtype: "int32",
          values: [5, 4, 3, 2, 1],
        });
        await expectArray(arange(1, -1, -0.5), {
          shape: [4],
          dtype: "float32",
          values: [1, 0.5, 0, -0.5],
        });
      });

      it("empty when the range is empty", async () => {
        await expectArray(arange(3, 3), { shape: [0], dtype: "int32", values: [] });
        await expectArray(arange(5, 0), { shape: [0], dtype: "int32", values: [] });
        await expectArray(arange(0, 5, -1), { shape: [0], dtype: "int32", values: [] });
        await expectArray(arange(0), { shape: [0], dtype: "int32", values: [] });
      });

      it("an explicit dtype wins", async () => {
        await expectArray(arange(0, 3, 1, "float32"), {
          shape: [3],
          dtype: "float32",
          values: [0, 1, 2],
        });
      });

      itWithDtypes(options, ["float16"], "an explicit float16 dtype wins", async () => {
        await expectArray(arange(0, 3, 1, "float16"), {
          shape: [3],
          dtype: "float16",
          values: [0, 1, 2],
        });
      });
    });

    describe("linspace", () => {
      it("num values from start to stop inclusive, float32 by default", async () => {
        await expectArray(linspace(0, 1, 5), {
          shape: [5],
          dtype: "float32",
          values: [0, 0.25, 0.5, 0.75, 1],
        });
        await expectArray(linspace(3, -3, 4), {
          shape: [4],
          dtype: "float32",
          values: [3, 1, -1, -3],
        });
        await expectArray(linspace(2, 3, 1), { shape: [1], dtype: "float32", values: [2] });
        await expectArray(linspace(2, 3, 0), { shape: [0], dtype: "float32", values: [] });
      });

      it("defaults to 50 values and ends exactly at stop", async () => {
        const x = linspace(0, 0.7);
        expect(x.shape).toEqual([50]);
        const v = await x.toFloat32();
        expect(v[0]).toBe(0);
        expect(v[49]).toBe(f32(0.7));
        for (let i = 1; i < 50; i++)
          expect(Math.abs((v[i] as number) - (0.7 * i) / 49)).toBeLessThan(1e-7);
      });

      itWithDtypes(options, ["float16"], "takes a float16 dtype", async () => {
        await expectArray(linspace(0, 1, 3, "float16"), {
          shape: [3],
          dtype: "float16",
          values: [0, 0.5, 1],
        });
      });

      it("takes an integer dtype", async () => {
        await expectArray(linspace(0, 4, 3, "int32"), {
          shape: [3],
          dtype: "int32",
          values: [0, 2, 4],
        });
      });
    });
  });
}
