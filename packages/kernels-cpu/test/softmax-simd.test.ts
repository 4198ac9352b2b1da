import { SOFTMAX_VARIANTS, type SoftmaxVariant, type StridedView } from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";

// The SIMD softmax must give the JavaScript row kernel's bits exactly (NaN payloads aside).

const SPECIALS = [
  Number.NaN,
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  2 ** -149,
  88.7,
  -87.3,
  103,
  -104,
  1,
  -1,
];

/** Rows of `n`: random values, some rows with specials planted, some all equal or all -inf. */
function rows(count: number, n: number, seed: number): Float32Array {
  const out = new Float32Array(count * n);
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  for (let r = 0; r < count; r++) {
    const kind = r % 7;
    for (let j = 0; j < n; j++) {
      const i = r * n + j;
      if (kind === 0) out[i] = -Infinity;
      else if (kind === 1) out[i] = j % 2 === 0 ? 0 : -0;
      else if (kind === 2) out[i] = 1.5;
      else if (kind === 3) out[i] = ((next() % 2001) - 1000) / 7;
      else out[i] = ((next() % 200_001) - 100_000) / 10_000;
    }
    if (kind >= 4 && n > 1)
      out[r * n + (next() % n)] = SPECIALS[next() % SPECIALS.length] as number;
    if (kind === 5) out[r * n] = -Infinity;
  }
  return out;
}

describe.runIf(wasmSimdAvailable() && typeof SharedArrayBuffer === "function")(
  "SIMD softmax",
  () => {
    const simd = new CpuBackend({
      name: "softmax-simd",
      mode: "wasm",
      threads: 2,
      math: "reproducible",
    });
    const js = new CpuBackend({ name: "softmax-js", mode: "compiled" });
    afterAll(() => simd.stopThreads());

    function run(
      b: CpuBackend,
      data: Float32Array,
      shape: number[],
      axes: number[],
      variant: SoftmaxVariant,
    ) {
      const x = b.upload("float32", data);
      const view: StridedView = {
        buffer: x,
        offset: 0,
        strides: shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1)),
      };
      const y = b.softmax(view, shape, axes, variant, "float32");
      const values = b.readSync(y) as Float32Array;
      y.release();
      x.release();
      return values;
    }

    function expectSameBits(a: Float32Array, e: Float32Array, what: string) {
      const ab = new Uint32Array(a.buffer, a.byteOffset, a.length);
      const eb = new Uint32Array(e.buffer, e.byteOffset, e.length);
      for (let i = 0; i < a.length; i++) {
        if (ab[i] === eb[i] || (Number.isNaN(a[i]) && Number.isNaN(e[i]))) continue;
        throw new Error(`${what}: element ${i}: simd ${a[i]} vs js ${e[i]}`);
      }
    }

    SOFTMAX_VARIANTS.forEach((variant, v) => {
      it(`${variant} over rows of 1 to 9, 1023, 1024 and 1025 elements matches the JavaScript bits`, () => {
        const before = simd.rowRuns.wasm;
        for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 1023, 1024, 1025]) {
          const data = rows(21, n, n * 31 + v);
          const shape = [21, n];
          expectSameBits(
            run(simd, data, shape, [1], variant),
            run(js, data, shape, [1], variant),
            `${variant} n=${n}`,
          );
        }
        expect(simd.rowRuns.wasm - before).toBe(12);
      });
    });

    it("softmin is softmax of the negated input, bit for bit, on both paths", () => {
      for (const n of [1, 3, 4, 7, 1024, 1025]) {
        const data = rows(14, n, n * 7 + 3);
        const negated = data.map((x) => -x);
        for (const b of [simd, js]) {
          expectSameBits(
            run(b, data, [14, n], [1], "softmin"),
            run(b, negated, [14, n], [1], "softmax"),
            `${b.name} softmin n=${n}`,
          );
        }
      }
    });

    it("splits many rows across the worker, with the same bits", async () => {
      await simd.startThreads();
      const data = rows(300, 1024, 99);
      const expected = run(js, data, [300, 1024], [1], "softmax");
      for (let i = 0; i < 200 && simd.rowRuns.threaded === 0; i++) {
        run(simd, data, [300, 1024], [1], "softmax");
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(simd.rowRuns.threaded).toBeGreaterThan(0);
      expectSameBits(run(simd, data, [300, 1024], [1], "softmax"), expected, "threaded softmax");
      const threaded = simd.rowRuns.threaded;
      expectSameBits(
        run(simd, data, [300, 1024], [1], "softmin"),
        run(js, data, [300, 1024], [1], "softmin"),
        "threaded softmin",
      );
      expect(simd.rowRuns.threaded).toBe(threaded + 1);
    });

    it("rows too long for a scratch slot compute their exps twice, with the same bits", () => {
      for (const n of [8192, 8193, 9001]) {
        // Seven rows: one of each kind in `rows` (the first three are symmetric under negation).
        const data = rows(7, n, n);
        for (const variant of ["softmax", "softmin"] as const) {
          expectSameBits(
            run(simd, data, [7, n], [1], variant),
            run(js, data, [7, n], [1], variant),
            `${variant} n=${n}`,
          );
        }
      }
    });

    it("frees its scratch: the heap holds no more after softmax than before", () => {
      const data = rows(64, 1024, 7);
      const x = simd.upload("float32", data);
      const view: StridedView = { buffer: x, offset: 0, strides: [1024, 1] };
      const before = simd.heapBytes.used;
      for (let i = 0; i < 3; i++)
        simd.softmax(view, [64, 1024], [1], "softmax", "float32").release();
      expect(simd.heapBytes.used).toBe(before);
      x.release();
    });

    it("over all axes of a 3-D array, and over a leading axis (JavaScript fallback)", () => {
      const data = rows(6, 20, 5);
      expectSameBits(
        run(simd, data, [2, 3, 20], [0, 1, 2], "softmax"),
        run(js, data, [2, 3, 20], [0, 1, 2], "softmax"),
        "all axes",
      );
      const before = simd.rowRuns.javascript;
      expectSameBits(
        run(simd, data, [6, 20], [0], "logSoftmax"),
        run(js, data, [6, 20], [0], "logSoftmax"),
        "axis 0",
      );
      expectSameBits(
        run(simd, data, [6, 20], [0], "softmin"),
        run(js, data, [6, 20], [0], "softmin"),
        "softmin axis 0",
      );
      expect(simd.rowRuns.javascript).toBe(before + 2);
    });
  },
);
