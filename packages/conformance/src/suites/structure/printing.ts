import { arange, array, evaluate } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { probeSyncRead, SYNC_SKIP_NOTE } from "./backend-probe.js";

/** Node's util.inspect where it exists (the suite may also run in a browser). */
async function nodeInspect(): Promise<((v: unknown) => string) | undefined> {
  try {
    const util = await import("node:util");
    return util.inspect;
  } catch {
    return undefined;
  }
}

/** Integration only: the print module's own tests cover the format in depth. */
export function definePrintingSuite(_options: SuiteOptions): void {
  describe("printing", () => {
    it("toString() prints MLX's repr, evaluating a lazy array first", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      const x = array([
        [-0.1, 0.2],
        [0.3, 0.4],
      ]);
      expect(x.toString()).toBe("array([[-0.1, 0.2],\n       [0.3, 0.4]], dtype=float32)");
      const lazy = x.multiply(10);
      expect(lazy.isEvaluated).toBe(false);
      expect(String(lazy)).toBe("array([[-1, 2],\n       [3, 4]], dtype=float32)");
      expect(`${array(3, "int32")}`).toBe("array(3, dtype=int32)");
      expect(array([true, false]).toString()).toBe("array([True, False], dtype=bool)");
    });

    it("util.inspect and console formatting use the same repr", async (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      const inspect = await nodeInspect();
      if (!inspect) return ctx.skip("node:util is not available in this environment");
      const x = array([
        [-0.1, 0.2],
        [0.3, 0.4],
      ]);
      expect(inspect(x)).toBe("array([[-0.1, 0.2],\n       [0.3, 0.4]], dtype=float32)");
      expect(inspect({ w: array([1, 2], "int32") })).toBe("{ w: array([1, 2], dtype=int32) }");
    });

    it("a large array is summarised", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      expect(arange(100000).toString()).toBe(
        "array([0, 1, 2, ..., 99997, 99998, 99999], dtype=int32)",
      );
      expect(arange(100).reshape([10, 10]).toString()).toBe(
        "array([[0, 1, 2, ..., 7, 8, 9],\n" +
          "       [10, 11, 12, ..., 17, 18, 19],\n" +
          "       [20, 21, 22, ..., 27, 28, 29],\n" +
          "       ...,\n" +
          "       [70, 71, 72, ..., 77, 78, 79],\n" +
          "       [80, 81, 82, ..., 87, 88, 89],\n" +
          "       [90, 91, 92, ..., 97, 98, 99]], dtype=int32)",
      );
    });

    it("a non-contiguous view prints in its logical order", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      expect(arange(6).reshape([2, 3]).transpose().toString()).toBe(
        "array([[0, 3],\n       [1, 4],\n       [2, 5]], dtype=int32)",
      );
    });

    it("float16 and bfloat16 print their rounded values", (ctx) => {
      if (!probeSyncRead()) ctx.skip(SYNC_SKIP_NOTE);
      // float16(0.1) = 0.0999755859375 and bfloat16(0.1) = 0.10009765625, to 6 significant digits.
      expect(array([1, 0.1, -2.5], "float16").toString()).toBe(
        "array([1, 0.0999756, -2.5], dtype=float16)",
      );
      expect(array([0.1], "bfloat16").toString()).toBe("array([0.100098], dtype=bfloat16)");
    });

    it("a disposed array prints a placeholder instead of throwing", () => {
      const x = array([1, 2]);
      x.dispose();
      expect(x.toString()).toContain("disposed");
    });

    it("on a backend that cannot read synchronously, toString points to data()", async (ctx) => {
      if (probeSyncRead()) ctx.skip("this backend reads synchronously, so toString prints values");
      const x = array([1, 2]).add(1);
      expect(x.toString()).toContain("evaluate");
      await evaluate(x);
      expect(x.toString()).toContain("data()");
    });
  });
}
