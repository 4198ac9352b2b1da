import type { ExprNode, FusedExpr, StridedView } from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { partRange } from "../src/threads/protocol.js";
import { exprCost, THREAD_MIN_WORK, wasmSimdAvailable } from "../src/wasm/runtime.js";

describe("partRange", () => {
  it("splits the items evenly and covers the range exactly", () => {
    for (const items of [0, 1, 3, 10, 1001]) {
      for (const parts of [1, 2, 3, 8]) {
        let next = 0;
        for (let p = 0; p < parts; p++) {
          const [start, end] = partRange(items, p, parts);
          expect(start).toBe(next);
          expect(end - start).toBeLessThanOrEqual(Math.ceil(items / parts));
          expect(end - start).toBeGreaterThanOrEqual(Math.floor(items / parts));
          next = end;
        }
        expect(next).toBe(items);
      }
    }
  });
});

const clampScale: FusedExpr = {
  nodes: [
    { kind: "input", index: 0, dtype: "float32" },
    { kind: "scalar", index: 0, dtype: "float32" },
    { kind: "binary", op: "multiply", lhs: 0, rhs: 1, dtype: "float32" },
    { kind: "input", index: 1, dtype: "float32" },
    { kind: "binary", op: "minimum", lhs: 2, rhs: 3, dtype: "float32" },
  ] satisfies ExprNode[],
  inputDtypes: ["float32", "float32"],
  scalarCount: 1,
  outDtype: "float32",
  key: "threads-test-clamp-scale",
};

/** Waits (yielding to the event loop) until `done()` or about 10 s have passed. */
async function eventually(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe.runIf(wasmSimdAvailable() && typeof SharedArrayBuffer === "function")(
  "worker threads",
  () => {
    // Two threads whatever the machine has, so the split is exercised on one core too.
    const threaded = new CpuBackend({ name: "threads-test", mode: "wasm", threads: 2 });
    const single = new CpuBackend({ name: "threads-single", mode: "wasm", threads: 1 });
    afterAll(() => threaded.stopThreads());

    const n = Math.ceil(THREAD_MIN_WORK / exprCost(clampScale)) * 4 + 3;
    const x = Float32Array.from({ length: n + 5 }, (_, i) => Math.cos(i * 0.37) * (i % 1000));
    const limit = Float32Array.from({ length: n + 5 }, (_, i) => (i % 17) - 8);

    function run(b: CpuBackend, offset: number): Uint32Array {
      const xs = b.upload("float32", x);
      const ls = b.upload("float32", limit);
      const views: StridedView[] = [
        { buffer: xs, offset, strides: [1] },
        { buffer: ls, offset: 5 - offset, strides: [1] },
      ];
      const y = b.elementwise(clampScale, views, [2.5], [n]);
      const values = b.readSync(y) as Float32Array;
      y.release();
      xs.release();
      ls.release();
      return new Uint32Array(values.buffer);
    }

    it("starts a worker and splits large kernels across it, with the single thread's bits", async () => {
      expect(await threaded.startThreads()).toBe(1);
      const expected = run(single, 1);
      run(threaded, 1); // compiles the kernel and sends it to the worker
      await eventually(() => {
        const before = threaded.elementwiseRuns.threaded;
        run(threaded, 0);
        return threaded.elementwiseRuns.threaded > before;
      });
      const before = threaded.elementwiseRuns.threaded;
      for (const offset of [0, 1, 2, 3]) {
        const got = run(threaded, offset);
        expect(got).toEqual(offset === 1 ? expected : run(single, offset));
      }
      expect(threaded.elementwiseRuns.threaded).toBe(before + 4);
      expect(single.elementwiseRuns.threaded).toBe(0);
      expect(threaded.liveBuffers()).toBe(0);
    });

    it("keeps small kernels on the calling thread", () => {
      const before = threaded.elementwiseRuns.threaded;
      const xs = threaded.upload("float32", x.subarray(0, 1000));
      const v: StridedView = { buffer: xs, offset: 0, strides: [1] };
      const y = threaded.elementwise(clampScale, [v, v], [2], [1000]);
      y.release();
      xs.release();
      expect(threaded.elementwiseRuns.threaded).toBe(before);
    });

    it("falls back to one thread, same answers, once the workers are stopped", () => {
      const b = new CpuBackend({ name: "threads-stopped", mode: "wasm", threads: 2 });
      b.stopThreads();
      expect(b.workerThreads).toBe(0);
      expect(b.singleThreadReason).toBe("terminated");
      expect(run(b, 2)).toEqual(run(single, 2));
      expect(b.elementwiseRuns.threaded).toBe(0);
    });
  },
);
