import {
  arange,
  array,
  evaluate,
  exp,
  type Array as NdArray,
  NnkitError,
  sum,
  transpose,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import {
  disposeAll,
  expectArray,
  expectNnkitError,
  expectNnkitRejection,
  withLiveBuffers,
} from "./expect.js";

export function defineMemorySuite(_options: SuiteOptions): void {
  describe("memory", () => {
    it("dispose() returns live buffers to their starting count, through a multi-kernel graph", async () => {
      await withLiveBuffers(async (delta) => {
        const x = array([1, 2, 3]);
        // exp(x) and its sum are intermediate kernels; y is the only target.
        let y: NdArray | undefined;
        try {
          await evaluate(x);
          expect(delta(), "after evaluating x").toBe(1);
          y = exp(x).sum().multiply(2);
          expect(delta(), "recording ops allocates nothing").toBe(1);
          await y.data();
          expect(delta(), "after evaluating y: x and y only").toBe(2);
        } finally {
          disposeAll(x, y);
        }
        expect(delta(), "after disposing").toBe(0);
      });
    });

    it("creating, computing and disposing leaves nothing behind, whenever host data is uploaded", async () => {
      await withLiveBuffers(async (delta) => {
        const x = array([
          [1, 2],
          [3, 4],
        ]);
        const w = array([0.5, -1]);
        const y = exp(x).multiply(w).sum(1).logsumexp();
        try {
          await y.data();
        } finally {
          disposeAll(x, w, y);
        }
        expect(delta()).toBe(0);
      });
    });

    it("evaluating frees intermediates: the count grows only by the targets", async () => {
      await withLiveBuffers(async (delta) => {
        const source = arange(12);
        const x = source.reshape([3, 4]).astype("float32");
        const a = exp(x);
        const b = a.sum(1);
        const c = b.add(1);
        const m = x.max(1);
        const d = c.multiply(m);
        try {
          await evaluate(source, x);
          const base = delta();
          await evaluate(c, d);
          expect(delta() - base, "c and d").toBe(2);
          expect(
            [a, b, m].map((i) => i.isEvaluated),
            "intermediates keep no data",
          ).toEqual([false, false, false]);
          c.dispose();
          expect(delta() - base).toBe(1);
          // d no longer needs c: it was computed.
          expect((await d.data()).length).toBe(3);
        } finally {
          disposeAll(source, x, a, b, c, m, d);
        }
        expect(delta()).toBe(0);
      });
    });

    it("views share their source's buffer, which lives until the last user is disposed", async () => {
      await withLiveBuffers(async (delta) => {
        const x = arange(6);
        const v = x.reshape([2, 3]);
        const t = transpose(v);
        try {
          await evaluate(x, v, t);
          expect(delta(), "views allocate nothing").toBe(1);
          x.dispose();
          expect(delta(), "the views still hold the buffer").toBe(1);
          // Reading a strided view may copy; the copy must not outlive the read.
          await expectArray(t, { shape: [3, 2], dtype: "int32", values: [0, 3, 1, 4, 2, 5] });
          expect(delta()).toBe(1);
          v.dispose();
          expect(delta()).toBe(1);
        } finally {
          disposeAll(x, v, t);
        }
        expect(delta(), "after disposing the last view").toBe(0);
      });
    });

    it("the `using` declaration disposes at the end of its block", async () => {
      await withLiveBuffers(async (delta) => {
        {
          using x = array([1, 2, 3]);
          using y = exp(x).add(1);
          await y.data();
          expect(delta()).toBe(2);
        }
        expect(delta()).toBe(0);
      });
    });

    it("[Symbol.dispose]() is dispose()", async () => {
      await withLiveBuffers(async (delta) => {
        const x = array([1, 2]);
        await evaluate(x);
        expect(delta()).toBe(1);
        x[Symbol.dispose]();
        expect(delta()).toBe(0);
        expectNnkitError(() => x.add(1), "add", "disposed");
      });
    });

    it("disposing twice, or disposing an unevaluated array, is harmless", async () => {
      await withLiveBuffers(async (delta) => {
        const x = array([1, 2]);
        const y = x.add(1);
        y.dispose();
        x.dispose();
        x.dispose();
        expect(delta()).toBe(0);
      });
    });

    it("using a disposed array throws an NnkitError naming the function", async () => {
      const x = array([1, 2, 3]);
      const other = array([1, 1, 1]);
      x.dispose();
      expectNnkitError(() => x.add(1), "add", "disposed");
      expectNnkitError(() => other.multiply(x), "multiply", "disposed");
      expectNnkitError(() => exp(x), "exp", "disposed");
      expectNnkitError(() => sum(x), "sum", "disposed");
      expectNnkitError(() => x.reshape([3]), "reshape", "disposed");
      expectNnkitError(() => x.transpose(), "transpose", "disposed");
      expectNnkitError(() => array(x), "array", "disposed");
      expectNnkitError(() => x.to(x.device), "to", "disposed");
      await expectNnkitRejection(() => x.data(), "data", "disposed");
      await expectNnkitRejection(() => x.toFloat32(), "data", "disposed");
      await expectNnkitRejection(() => evaluate(x), "evaluate", "disposed");
      other.dispose();
    });

    it("evaluating a graph whose evaluated input was disposed throws an NnkitError", async () => {
      const x = array([1, 2, 3]);
      const y = exp(x);
      x.dispose();
      let caught: unknown;
      try {
        await y.data();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NnkitError);
      expect((caught as NnkitError).message).toMatch(/disposed/);
    });
  });
}
