import {
  add,
  arange,
  array,
  broadcastTo,
  evaluate,
  exp,
  expandDims,
  full,
  type Array as NdArray,
  reshape,
  sigmoid,
  split,
  squeeze,
  sum,
  transpose,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { countLaunches, expectArray, expectCloseF32 } from "./expect.js";
import { ulpDistanceF32 } from "./host-reference.js";

export function defineLazinessSuite(options: SuiteOptions): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;

  describe("laziness", () => {
    it("op results are unevaluated until evaluated", async () => {
      const x = array([1, 2, 3]);
      await evaluate(x);
      expect(x.isEvaluated).toBe(true);
      const y = exp(x);
      const z = y.multiply(2).sum();
      expect(y.isEvaluated).toBe(false);
      expect(z.isEvaluated).toBe(false);
      await evaluate(z);
      expect(z.isEvaluated).toBe(true);
      // y was an intermediate of z's evaluation, not a target.
      expect(y.isEvaluated).toBe(false);
      await y.data();
      expect(y.isEvaluated).toBe(true);
    });

    it("recording ops launches no kernel; evaluating twice launches once", async () => {
      const x = array([1, 2, 3, 4]);
      let y: NdArray | undefined;
      expect(
        await countLaunches(() => {
          y = x.add(1).multiply(x).exp().sum(0).add(2);
        }),
      ).toBe(0);
      const first = await countLaunches(() => evaluate(y as NdArray));
      expect(first).toBeGreaterThan(0);
      expect(await countLaunches(() => evaluate(y as NdArray))).toBe(0);
    });

    it("evaluate takes several arrays at once", async () => {
      const x = array([1, 2]);
      const a = x.add(1);
      const b = x.multiply(3);
      const c = x.subtract(1);
      await evaluate(a, b, c);
      expect([a.isEvaluated, b.isEvaluated, c.isEvaluated]).toEqual([true, true, true]);
      await expectArray(b, { shape: [2], dtype: "float32", values: [3, 6] });
    });

    it("full is a lazy constant that fuses into its consumer", async () => {
      const x = array(new Float32Array(1000).fill(1));
      const c = full([1000], 2);
      expect(c.isEvaluated).toBe(false);
      const y = x.add(c);
      expect(await countLaunches(() => evaluate(y))).toBe(1);
      expect(c.isEvaluated).toBe(false);
      const v = await y.toFloat32();
      expect(v.every((e) => e === 3)).toBe(true);
    });
  });

  describe("fusion (kernel launches)", () => {
    it("sigmoid(x).multiply(x) on 1,000,000 float32 elements is exactly one kernel", async () => {
      const n = 1_000_000;
      const host = new Float32Array(n);
      for (let i = 0; i < n; i++) host[i] = ((i % 2001) - 1000) / 64;
      const x = array(host);
      const y = sigmoid(x).multiply(x);
      expect(await countLaunches(() => evaluate(y))).toBe(1);
      expect(y.shape).toEqual([n]);
      expect(y.dtype).toBe("float32");
      // Check a sample of values (the elementwise suite checks accuracy in depth).
      const v = await y.toFloat32();
      const offenders: string[] = [];
      for (let i = 0; i < n; i += 997) {
        const t = host[i] as number;
        const expected = t / (1 + Math.exp(-t));
        const ulps = ulpDistanceF32(v[i] as number, expected);
        // sigmoid rounds before the multiply on backends that do not fuse in float64.
        if (ulps > maxUlp + 1)
          offenders.push(`[${i}] x=${t}: got ${v[i]}, expected ${expected} (${ulps} ulps)`);
      }
      expect(offenders).toEqual([]);
    });

    it("a long elementwise chain is one kernel", async () => {
      const host = [0.1, 0.5, 1, 2, -0.7, 3];
      const x = array(host);
      let y = x;
      for (let i = 0; i < 10; i++) y = y.multiply(0.9).add(0.05).tanh().add(x);
      expect(await countLaunches(() => evaluate(y))).toBe(1);
      let ref = host.slice();
      for (let i = 0; i < 10; i++) {
        ref = ref.map((v, k) => Math.tanh(v * 0.9 + 0.05) + (host[k] as number));
      }
      const got = Array.from(await y.toFloat32());
      const errors = got.map((g, k) => Math.abs(g - (ref[k] as number)));
      expect(Math.max(...errors)).toBeLessThan(1e-5);
    });

    it("a reduction with an elementwise consumer is two kernels", async () => {
      const x = arange(12).reshape([3, 4]).astype("float32");
      await evaluate(x);
      const y = sum(x, 1).multiply(2).add(1);
      expect(await countLaunches(() => evaluate(y))).toBe(2);
      await expectArray(y, { shape: [3], dtype: "float32", values: [13, 45, 77] });
    });

    it("an elementwise producer before a reduction is its own kernel: exp(x).sum() is two", async () => {
      const x = array([0, 1, 2]);
      const y = exp(x).sum();
      expect(await countLaunches(() => evaluate(y))).toBe(2);
      await expectCloseF32(y, { shape: [], values: [1 + Math.E + Math.exp(2)] }, maxUlp + 1);
    });

    it("views of evaluated arrays launch nothing", async () => {
      const x = arange(24).reshape([2, 3, 4]);
      await evaluate(x);
      const views: NdArray[] = [];
      const launches = await countLaunches(async () => {
        views.push(reshape(x, [6, 4]));
        views.push(x.reshape([-1]));
        views.push(transpose(x));
        views.push(transpose(x, [1, 0, 2]));
        views.push(...split(x, [1, 3], 2));
        views.push(broadcastTo(x, [5, 2, 3, 4]));
        views.push(expandDims(x, 1));
        views.push(squeeze(x.reshape([1, 2, 1, 12])));
        await evaluate(...views);
      });
      expect(launches).toBe(0);
      expect(views.every((v) => v.isEvaluated)).toBe(true);
      // And they read correctly (reading a strided view may copy; that is not counted above).
      await expectArray(views[2] as NdArray, {
        shape: [4, 3, 2],
        dtype: "int32",
        values: Array.from({ length: 24 }, (_, f) => {
          const i = Math.floor(f / 6);
          const j = Math.floor(f / 2) % 3;
          const k = f % 2;
          return 12 * k + 4 * j + i;
        }),
      });
    });

    it("a fused kernel reads broadcast and transposed inputs without copies", async () => {
      const a = arange(6).reshape([2, 3]).astype("float32");
      const b = array([10, 20]);
      await evaluate(a, b);
      // a.T is (3, 2), b broadcasts along rows: one kernel, no copy of a.T first.
      const y = add(transpose(a), b).exp().log();
      expect(await countLaunches(() => evaluate(y))).toBe(1);
      await expectCloseF32(y, { shape: [3, 2], values: [10, 23, 11, 24, 12, 25] }, maxUlp + 1);
    });
  });
}
