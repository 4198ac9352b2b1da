import type { ExprNode, FusedExpr, StridedView } from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import {
  CHUNK_BITS,
  CONTROL_INTS,
  claimChunk,
  GENERATIONS,
  Slot,
} from "../src/threads/protocol.js";
import { exprCost, THREAD_MIN_WORK, wasmSimdAvailable } from "../src/wasm/runtime.js";

describe("claiming chunks", () => {
  const control = () => new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));

  it("hands out every chunk of the current job once, then -1", () => {
    const c = control();
    c[Slot.CHUNKS] = 5;
    Atomics.store(c, Slot.CLAIM, 7 << CHUNK_BITS);
    const got = Array.from({ length: 7 }, () => claimChunk(c, 7));
    expect(got).toEqual([0, 1, 2, 3, 4, -1, -1]);
  });

  it("refuses a claim for any other generation (a worker holding an older job's arguments)", () => {
    const c = control();
    c[Slot.CHUNKS] = 5;
    Atomics.store(c, Slot.CLAIM, 8 << CHUNK_BITS);
    expect(claimChunk(c, 7)).toBe(-1);
    expect(claimChunk(c, 8)).toBe(0);
    expect(claimChunk(c, GENERATIONS - 1)).toBe(-1);
  });

  it("names its slots by number as the protocol lays them out (it also runs as worker source)", () => {
    expect([Slot.CLAIM, Slot.CHUNKS, CHUNK_BITS]).toEqual([1, 5, 20]);
    expect(((GENERATIONS - 1) << CHUNK_BITS) | 0).toBeGreaterThan(0);
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

/** The first index where the arrays differ, or -1 (a deep toEqual of a million elements is slow). */
function firstDifference(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Tries `done()` every 50 ms (yielding to the event loop) until it holds or 10 s have passed. */
async function eventually(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
}

describe.runIf(wasmSimdAvailable() && typeof SharedArrayBuffer === "function")(
  "worker threads",
  () => {
    // Two threads whatever the machine has, so the split is exercised on one core too.
    const threaded = new CpuBackend({ name: "threads-test", mode: "wasm", threads: 2 });
    const single = new CpuBackend({ name: "threads-single", mode: "wasm", threads: 1 });
    afterAll(() => threaded.stopThreads());

    const n = Math.ceil(THREAD_MIN_WORK / exprCost(clampScale)) + 3;
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
        expect(firstDifference(got, offset === 1 ? expected : run(single, offset))).toBe(-1);
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
      expect(firstDifference(run(b, 2), run(single, 2))).toBe(-1);
      expect(b.elementwiseRuns.threaded).toBe(0);
    });
  },
);
