import type { ExprNode, FusedExpr, StridedView } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";

// glu's shape of work: two strided halves of each row, a · sigmoid(b). The SIMD path runs it
// over rows (one call of the module's row loop, split across threads when large) and must give
// the JavaScript path's bits (with the reproducible math).
const gate: FusedExpr = {
  nodes: [
    { kind: "input", index: 0, dtype: "float32" },
    { kind: "input", index: 1, dtype: "float32" },
    { kind: "unary", op: "sigmoid", arg: 1, dtype: "float32" },
    { kind: "binary", op: "multiply", lhs: 0, rhs: 2, dtype: "float32" },
  ] satisfies ExprNode[],
  inputDtypes: ["float32", "float32"],
  scalarCount: 0,
  outDtype: "float32",
  key: "rows-test-gate",
};

describe.runIf(wasmSimdAvailable() && typeof SharedArrayBuffer === "function")(
  "strided inputs with contiguous rows",
  () => {
    const simd = new CpuBackend({
      name: "rows-simd",
      mode: "wasm",
      threads: 1,
      math: "reproducible",
    });
    const js = new CpuBackend({ name: "rows-js", mode: "compiled" });

    /** Runs the gate over views a, b (offset, strides) of one buffer, output `shape`. */
    function run(
      b: CpuBackend,
      data: Float32Array,
      views: [number, number[]][],
      shape: number[],
    ): Uint32Array {
      const x = b.upload("float32", data);
      const vs: StridedView[] = views.map(([offset, strides]) => ({ buffer: x, offset, strides }));
      const y = b.elementwise(gate, vs, [], shape);
      const out = b.readSync(y) as Float32Array;
      y.release();
      x.release();
      return new Uint32Array(out.buffer, out.byteOffset, out.length);
    }

    const data = Float32Array.from({ length: 6 * 4 * 64 }, (_, i) => Math.sin(i * 1.7) * 9);

    it("glu's halves of 2-D rows run over rows, with the JavaScript bits", () => {
      const views: [number, number[]][] = [
        [0, [64, 1]],
        [32, [64, 1]],
      ];
      const before = simd.elementwiseRuns.rows;
      expect(run(simd, data, views, [24, 32])).toEqual(run(js, data, views, [24, 32]));
      expect(simd.elementwiseRuns.rows).toBe(before + 1);
    });

    it("leading dimensions that collapse to one row stride (3-D) also do", () => {
      const views: [number, number[]][] = [
        [0, [256, 64, 1]],
        [32, [256, 64, 1]],
      ];
      const before = simd.elementwiseRuns.rows;
      expect(run(simd, data, views, [6, 4, 32])).toEqual(run(js, data, views, [6, 4, 32]));
      expect(simd.elementwiseRuns.rows).toBe(before + 1);
    });

    it("many rows are split across the worker threads, with the same bits", async () => {
      const threaded = new CpuBackend({
        name: "rows-threaded",
        mode: "wasm",
        threads: 2,
        math: "reproducible",
      });
      try {
        await threaded.startThreads();
        const rows = 600;
        const big = Float32Array.from({ length: rows * 1024 }, (_, i) => Math.cos(i * 0.37) * 7);
        const views: [number, number[]][] = [
          [0, [1024, 1]],
          [512, [1024, 1]],
        ];
        const expected = run(js, big, views, [rows, 512]);
        // The workers take the row loop's module on first use; poll until one has.
        for (let i = 0; i < 200 && threaded.elementwiseRuns.threaded === 0; i++) {
          run(threaded, big, views, [rows, 512]);
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(threaded.elementwiseRuns.threaded).toBeGreaterThan(0);
        const before = threaded.elementwiseRuns.threaded;
        expect(run(threaded, big, views, [rows, 512])).toEqual(expected);
        expect(threaded.elementwiseRuns.threaded).toBe(before + 1);
      } finally {
        threaded.stopThreads();
      }
    });

    it("rows that are not whole vectors, or strides that do not collapse, stay on JavaScript", () => {
      const before = { ...simd.elementwiseRuns };
      const odd: [number, number[]][] = [
        [0, [64, 1]],
        [30, [64, 1]],
      ];
      expect(run(simd, data, odd, [24, 30])).toEqual(run(js, data, odd, [24, 30]));
      const uneven: [number, number[]][] = [
        [0, [300, 64, 1]],
        [32, [300, 64, 1]],
      ];
      expect(run(simd, data, uneven, [4, 4, 32])).toEqual(run(js, data, uneven, [4, 4, 32]));
      expect(simd.elementwiseRuns.rows).toBe(before.rows);
      expect(simd.elementwiseRuns.compiled).toBe(before.compiled + 2);
    });
  },
);
