import { arange, array, transpose, zeros } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { probeSyncRead, SYNC_SKIP_NOTE } from "./backend-probe.js";
import { expectNnkitError } from "./expect.js";

export function defineDataAccessSuite(options: SuiteOptions): void {
  describe("data access", () => {
    it("reads synchronously exactly when the backend package says it can", () => {
      // The other sync-only tests skip on a backend without sync reads; this keeps a backend
      // that wrongly refuses them from passing by skipping.
      expect(probeSyncRead()).toBe(options.canReadSync);
    });

    it("data() returns a typed array of the dtype", async () => {
      expect(await array([1.5, -2]).data()).toEqual(new Float32Array([1.5, -2]));
      expect(await array([1, -2], "int32").data()).toEqual(new Int32Array([1, -2]));
      expect(await array([1, 4294967295], "uint32").data()).toEqual(
        new Uint32Array([1, 4294967295]),
      );
      expect(await array([true, false, true]).data()).toEqual(new Uint8Array([1, 0, 1]));
    });

    itWithDtypes(
      options,
      ["float16"],
      "data() of float16 gives the raw bits as a Uint16Array",
      async () => {
        // float16: 1 = 0x3c00, -2 = 0xc000, 0.5 = 0x3800, 65504 = 0x7bff.
        expect(await array([1, -2, 0.5, 65504], "float16").data()).toEqual(
          new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]),
        );
      },
    );

    itWithDtypes(
      options,
      ["bfloat16"],
      "data() of bfloat16 gives the raw bits as a Uint16Array",
      async () => {
        // bfloat16: the top 16 bits of the float32: 1 = 0x3f80, -2 = 0xc000, 0.5 = 0x3f00.
        expect(await array([1, -2, 0.5], "bfloat16").data()).toEqual(
          new Uint16Array([0x3f80, 0xc000, 0x3f00]),
        );
      },
    );

    it("data() is a fresh copy each time", async () => {
      const x = array([1, 2, 3]);
      const first = await x.data();
      first[0] = 100;
      expect(await x.data()).toEqual(new Float32Array([1, 2, 3]));
      const second = await x.data();
      expect(second).not.toBe(await x.data());
    });

    it("data() of a view is in the view's row-major order", async () => {
      expect(await transpose(arange(6).reshape([2, 3])).data()).toEqual(
        new Int32Array([0, 3, 1, 4, 2, 5]),
      );
      expect(await arange(6).split(3)[1]?.data()).toEqual(new Int32Array([2, 3]));
      expect(await array([1, 2]).broadcastTo([2, 2]).data()).toEqual(
        new Float32Array([1, 2, 1, 2]),
      );
      expect(await zeros([0, 2]).data()).toEqual(new Float32Array(0));
    });

    itWithDtypes(options, ["float16"], "toFloat32() decodes float16", async () => {
      expect(await array([1, -2, 0.5, 65504], "float16").toFloat32()).toEqual(
        new Float32Array([1, -2, 0.5, 65504]),
      );
    });

    itWithDtypes(options, ["bfloat16"], "toFloat32() decodes bfloat16", async () => {
      expect(await array([1.5, -3], "bfloat16").toFloat32()).toEqual(new Float32Array([1.5, -3]));
    });

    it("toFloat32() decodes integer and bool dtypes", async () => {
      expect(await array([7, -8], "int32").toFloat32()).toEqual(new Float32Array([7, -8]));
      expect(await array([true, false]).toFloat32()).toEqual(new Float32Array([1, 0]));
    });

    it("item() needs exactly one element, on every backend", () => {
      expectNnkitError(() => array([1, 2]).item(), "item", "one element", "(2)");
      expectNnkitError(() => zeros([0]).item(), "item", "one element");
    });

    it("dataSync() matches data() where the backend reads synchronously", async (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      const x = arange(6).reshape([2, 3]).transpose().add(1);
      expect(x.isEvaluated).toBe(false);
      expect(x.dataSync()).toEqual(new Int32Array([1, 4, 2, 5, 3, 6]));
      expect(array([1, 0.5], "float16").dataSync()).toEqual(new Uint16Array([0x3c00, 0x3800]));
    });

    it("tolist() gives nested numbers, booleans for bool, a bare value for 0-d", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      expect(
        array([
          [1, 2],
          [3, 4],
        ]).tolist(),
      ).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(array([[true, false]]).tolist()).toEqual([[true, false]]);
      expect(arange(8).reshape([2, 2, 2]).tolist()).toEqual([
        [
          [0, 1],
          [2, 3],
        ],
        [
          [4, 5],
          [6, 7],
        ],
      ]);
      expect(array([0.5, 1], "float16").tolist()).toEqual([0.5, 1]);
      expect(array(2.5).tolist()).toBe(2.5);
      expect(zeros([2, 0]).tolist()).toEqual([[], []]);
      expect(transpose(arange(4).reshape([2, 2])).tolist()).toEqual([
        [0, 2],
        [1, 3],
      ]);
    });

    it("item() returns the single value (a boolean for bool)", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      expect(array(3.5).item()).toBe(3.5);
      expect(array([[7]], "int32").item()).toBe(7);
      expect(array([true]).item()).toBe(true);
      expect(array(0.1).item()).toBe(Math.fround(0.1));
      expect(array([1, 2]).sum().item()).toBe(3);
      expect(array(1.5, "float16").item()).toBe(1.5);
    });

    it("dataSync(), tolist() and item() name await x.data() where reads are asynchronous", async (ctx) => {
      if (probeSyncRead()) ctx.skip("this backend reads synchronously");
      const x = array([1, 2]);
      expectNnkitError(() => x.dataSync(), "dataSync", "await x.data()");
      expectNnkitError(() => x.tolist(), "tolist", "await x.data()");
      expectNnkitError(() => x.sum().item(), "item", "await x.data()");
      expect(await x.data()).toEqual(new Float32Array([1, 2]));
    });
  });
}
