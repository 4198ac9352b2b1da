import type { ExprNode, FusedExpr, StridedView } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { BlockAllocator, blockSize } from "../src/wasm/allocator.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";

describe("BlockAllocator", () => {
  /** An allocator over a memory that can grow to `limit` bytes. */
  function make(limit = 1 << 20) {
    let size = 0;
    const a = new BlockAllocator(0, (end) => {
      if (end > limit) return false;
      size = Math.max(size, end);
      return true;
    });
    return { a, size: () => size };
  }

  it("hands out 16-byte aligned, non-overlapping blocks padded to whole vectors", () => {
    const { a } = make();
    const blocks = [1, 4, 17, 100, 16, 3].map((bytes) => ({ bytes, start: a.alloc(bytes) }));
    const ranges = blocks.map((b) => [b.start as number, (b.start as number) + blockSize(b.bytes)]);
    for (const [s] of ranges) expect((s as number) % 16).toBe(0);
    ranges.sort((x, y) => (x[0] as number) - (y[0] as number));
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]?.[0] as number).toBeGreaterThanOrEqual(ranges[i - 1]?.[1] as number);
    }
    expect(a.usedBytes).toBe([1, 4, 17, 100, 16, 3].reduce((n, b) => n + blockSize(b), 0));
  });

  it("keeps a vector of slack past the top block in memory", () => {
    const { a, size } = make();
    const s = a.alloc(32) as number;
    expect(size()).toBeGreaterThanOrEqual(s + 32 + 16);
  });

  it("reuses a freed block of the same size, then splits a larger one", () => {
    const { a } = make();
    const x = a.alloc(64) as number;
    a.alloc(16); // keeps x away from the top
    a.free(x);
    expect(a.alloc(64)).toBe(x);
    a.free(x);
    expect(a.alloc(32)).toBe(x);
    expect(a.alloc(32)).toBe(x + 32);
  });

  it("merges neighbours and lowers the top, whatever the order of frees", () => {
    const { a } = make();
    const blocks = Array.from({ length: 6 }, () => a.alloc(48) as number);
    for (const i of [3, 0, 5, 1, 4, 2]) a.free(blocks[i] as number);
    expect(a.usedBytes).toBe(0);
    expect(a.topBytes).toBe(0);
    expect(a.alloc(6 * 48)).toBe(0);
  });

  it("returns undefined when the memory cannot grow, and throws on a bad free", () => {
    const { a } = make(1024);
    expect(a.alloc(4096)).toBeUndefined();
    expect(a.alloc(512)).toBe(0);
    expect(() => a.free(16)).toThrow(/not in use/);
  });
});

const negate: FusedExpr = {
  nodes: [
    { kind: "input", index: 0, dtype: "float32" },
    { kind: "input", index: 1, dtype: "float32" },
    { kind: "binary", op: "multiply", lhs: 0, rhs: 1, dtype: "float32" },
    { kind: "unary", op: "negative", arg: 2, dtype: "float32" },
  ] satisfies ExprNode[],
  inputDtypes: ["float32", "float32"],
  scalarCount: 0,
  outDtype: "float32",
  key: "heap-test-negate-product",
};

describe.runIf(wasmSimdAvailable() && typeof SharedArrayBuffer === "function")(
  "WebAssembly heap storage",
  () => {
    it("keeps arrays in the heap, copies uploads in and reuses freed storage", () => {
      const b = new CpuBackend({ name: "heap-test", mode: "wasm", threads: 1 });
      expect(b.storage).toBe("heap");
      const mine = new Float32Array([1, 2, 3]);
      const x = b.upload("float32", mine);
      const view = { buffer: x, offset: 0, strides: [1] };
      const before = b.heapBytes.used;
      expect(before).toBeGreaterThanOrEqual(16);
      const y = b.elementwise(negate, [view, view], [], [3]);
      expect(b.heapBytes.used).toBe(before + 16);
      expect(Array.from(b.readSync(y))).toEqual([-1, -4, -9]);
      // What a read returns is a copy, not a view of the heap.
      const read = b.readSync(y);
      expect(read.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      y.release();
      expect(b.heapBytes.used).toBe(before);
      mine[0] = 100; // the caller's array is not the array's storage
      const z = b.elementwise(negate, [view, view], [], [3]);
      expect(Array.from(b.readSync(z))).toEqual([-1, -4, -9]);
      z.release();
      x.release();
      expect(b.heapBytes.used).toBe(0);
      expect(b.liveBuffers()).toBe(0);
    });

    it("gives the staging path's and compiled JavaScript's bits, at any offset and length", () => {
      const heap = new CpuBackend({
        name: "heap-diff",
        mode: "wasm",
        threads: 1,
        math: "reproducible",
      });
      const staged = new CpuBackend({
        name: "staged-diff",
        mode: "wasm",
        heap: false,
        math: "reproducible",
      });
      const js = new CpuBackend({ name: "js-diff", mode: "compiled" });
      const data = Float32Array.from({ length: 40_011 }, (_, i) => Math.sin(i) * 10 ** (i % 7));
      for (const [offset, length] of [
        [0, 1],
        [1, 5],
        [3, 40_000],
        [7, 33_001],
        [0, 40_011],
      ] as const) {
        const outs = [heap, staged, js].map((b) => {
          const x = b.upload("float32", data);
          const v: StridedView = { buffer: x, offset, strides: [1] };
          const w: StridedView = { buffer: x, offset: data.length - length, strides: [1] };
          const y = b.elementwise(negate, [v, w], [], [length]);
          const values = b.readSync(y) as Float32Array;
          y.release();
          x.release();
          return new Uint32Array(values.buffer);
        });
        expect(outs[0]).toEqual(outs[2]);
        expect(outs[1]).toEqual(outs[2]);
      }
      expect(heap.elementwiseRuns.wasm).toBe(5);
      expect(staged.elementwiseRuns.wasm).toBe(5);
    });

    it("rejects a bad thread count with a clear error", () => {
      expect(() => new CpuBackend({ threads: 0 })).toThrow(
        /threads must be "auto" or an integer >= 1; got 0/,
      );
      expect(() => new CpuBackend({ threads: 1.5 })).toThrow(/threads must be/);
    });

    it("rejects an unknown math precision with a clear error", () => {
      expect(() => new CpuBackend({ math: "exact" as never })).toThrow(
        'CpuBackend: math must be "fast" or "reproducible"; got exact',
      );
    });

    it("heap: false keeps JavaScript storage and one thread", () => {
      const b = new CpuBackend({ name: "no-heap", mode: "wasm", heap: false });
      expect(b.storage).toBe("javascript");
      expect(b.singleThreadReason).toBe("no shared WebAssembly heap");
      expect(b.description).toBe(
        "WebAssembly SIMD, JavaScript storage, 1 thread, float64, error-bounded math",
      );
    });

    it("describes how it computes", () => {
      expect(new CpuBackend({ name: "d1", mode: "wasm", threads: 1 }).description).toBe(
        "WebAssembly SIMD, shared heap, 1 thread, float64, error-bounded math",
      );
      expect(
        new CpuBackend({ name: "d3", mode: "wasm", threads: 1, math: "reproducible" }).description,
      ).toBe("WebAssembly SIMD, shared heap, 1 thread, float64, reproducible math");
      expect(new CpuBackend({ name: "d2", mode: "compiled" }).description).toBe(
        "compiled JavaScript, float64",
      );
    });
  },
);
