import { type DType, random } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { expectArray, expectNnkitError, readValues } from "./expect.js";
import { f32 } from "./host-reference.js";

/**
 * Expected words are MLX's own test values (python/tests/test_random.py, tests/random_tests.cpp)
 * and the Random123 known-answer vector threefry2x32_20(key 0, counter 0) = 0x6b200159.
 */
export function defineRandomSuite(options: SuiteOptions): void {
  describe("random", () => {
    it("key(seed) is uint32 [seed >> 32, seed & 0xffffffff]", async () => {
      await expectArray(random.key(0), { shape: [2], dtype: "uint32", values: [0, 0] });
      await expectArray(random.key(42), { shape: [2], dtype: "uint32", values: [0, 42] });
      await expectArray(random.key(2 ** 32 + 5), { shape: [2], dtype: "uint32", values: [1, 5] });
    });

    it("split(key(0)) gives MLX's keys", async () => {
      await expectArray(random.split(random.key(0)), {
        shape: [2, 2],
        dtype: "uint32",
        values: [4146024105, 967050713, 2718843009, 1272950319],
      });
      await expectArray(random.split(random.key(0), 3), {
        shape: [3, 2],
        dtype: "uint32",
        values: [2467461003, 428148500, 3186719485, 3840466878, 2562233961, 1946702221],
      });
    });

    it("bits([3, 1], key(0)) gives MLX's words", async () => {
      await expectArray(random.bits([3, 1], random.key(0)), {
        shape: [3, 1],
        dtype: "uint32",
        values: [4146024105, 1351547692, 2718843009],
      });
    });

    it("a sub key from split drives bits like a fresh key", async () => {
      const k = random.keyAt(random.split(random.key(0)), 1);
      await expectArray(k, { shape: [2], dtype: "uint32", values: [2718843009, 1272950319] });
      const a = await random.bits([4], k).data();
      const b = await random.bits([4], random.keyAt(random.split(random.key(0)), 1)).data();
      expect(Array.from(a)).toEqual(Array.from(b));
    });

    it("a scalar uniform with key(0) is float32(0x6b200159) / 2^32", async () => {
      const u = random.uniform(0, 1, [], "float32", random.key(0));
      await expectArray(u, { shape: [], dtype: "float32", values: [f32(1797259609) / 2 ** 32] });
    });

    it("the same seed gives the same numbers; different keys give different numbers", async () => {
      random.seed(7);
      const a = await random.uniform(0, 1, [64]).data();
      const a2 = await random.uniform(0, 1, [64]).data();
      random.seed(7);
      const b = await random.uniform(0, 1, [64]).data();
      const b2 = await random.uniform(0, 1, [64]).data();
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(Array.from(b2)).toEqual(Array.from(a2));
      expect(Array.from(a2)).not.toEqual(Array.from(a));
      random.seed(8);
      const c = await random.uniform(0, 1, [64]).data();
      expect(Array.from(c)).not.toEqual(Array.from(a));

      const k1 = await random.normal([32], "float32", 0, 1, random.key(1)).data();
      const k1again = await random.normal([32], "float32", 0, 1, random.key(1)).data();
      const k2 = await random.normal([32], "float32", 0, 1, random.key(2)).data();
      expect(Array.from(k1again)).toEqual(Array.from(k1));
      expect(Array.from(k2)).not.toEqual(Array.from(k1));
    });

    it("uniform(low, high) stays in [low, high) and covers it", async () => {
      const v = await readValues(random.uniform(-2, 3, [20000], "float32", random.key(3)));
      expect(v.every((x) => x >= -2 && x < 3)).toBe(true);
      expect(Math.min(...v)).toBeLessThan(-1.99);
      expect(Math.max(...v)).toBeGreaterThan(2.99);
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    });

    it("uniform broadcasts array bounds against the shape", async () => {
      const v = await readValues(
        random.uniform([0, 10], [1, 20], [500, 2], "float32", random.key(4)),
      );
      for (let i = 0; i < v.length; i += 2) {
        expect(v[i]).toBeGreaterThanOrEqual(0);
        expect(v[i]).toBeLessThan(1);
        expect(v[i + 1]).toBeGreaterThanOrEqual(10);
        expect(v[i + 1]).toBeLessThan(20);
      }
    });

    it("normal has the requested shape and dtype, mean ≈ 0 and std ≈ 1 over 100k samples", async () => {
      const x = random.normal([100, 1000], "float32", 0, 1, random.key(5));
      expect(x.shape).toEqual([100, 1000]);
      expect(x.dtype).toBe("float32");
      const v = await readValues(x);
      const n = v.length;
      const mean = v.reduce((s, e) => s + e, 0) / n;
      const std = Math.sqrt(v.reduce((s, e) => s + (e - mean) ** 2, 0) / n);
      // Standard errors are 0.003 (mean) and 0.002 (std); the bounds sit beyond 6 of them.
      expect(Math.abs(mean)).toBeLessThan(0.02);
      expect(Math.abs(std - 1)).toBeLessThan(0.015);
      // Shape of the distribution: P(|z| < 1) = 0.6827, P(|z| < 2) = 0.9545 (uniform data fails).
      const within1 = v.filter((e) => Math.abs(e) < 1).length / n;
      const within2 = v.filter((e) => Math.abs(e) < 2).length / n;
      expect(Math.abs(within1 - 0.6827)).toBeLessThan(0.01);
      expect(Math.abs(within2 - 0.9545)).toBeLessThan(0.006);
      expect(v.every(Number.isFinite)).toBe(true);
    });

    it("normal with loc and scale", async () => {
      const v = await readValues(random.normal([20000], "float32", 5, 0.5, random.key(6)));
      const mean = v.reduce((s, e) => s + e, 0) / v.length;
      const std = Math.sqrt(v.reduce((s, e) => s + (e - mean) ** 2, 0) / v.length);
      expect(Math.abs(mean - 5)).toBeLessThan(0.03);
      expect(Math.abs(std - 0.5)).toBeLessThan(0.03);
    });

    for (const dtype of ["float16", "bfloat16"] as const) {
      itWithDtypes(options, [dtype], `uniform and normal in ${dtype}`, async () => {
        const u = random.uniform(0, 1, [1000], dtype, random.key(9));
        expect(u.dtype).toBe(dtype);
        const raw = await u.data();
        expect(raw).toBeInstanceOf(Uint16Array);
        const uv = await readValues(u);
        expect(uv.every((x) => x >= 0 && x < 1)).toBe(true);
        expect(new Set(uv).size).toBeGreaterThan(100);
        const z = random.normal([2000], dtype, 0, 1, random.key(10));
        expect(z.dtype).toBe(dtype);
        const zv = await readValues(z);
        const mean = zv.reduce((s, e) => s + e, 0) / zv.length;
        expect(Math.abs(mean)).toBeLessThan(0.15);
        expect(zv.some((e) => e < -1) && zv.some((e) => e > 1)).toBe(true);
      });
    }

    it("non-float dtypes and malformed keys are rejected", () => {
      for (const dtype of ["int32", "uint32", "bool"] satisfies DType[]) {
        expectNnkitError(() => random.uniform(0, 1, [2], dtype), "uniform", "floating", dtype);
        expectNnkitError(() => random.normal([2], dtype), "normal", "floating", dtype);
      }
      const key = random.key(0);
      const notAKey = key.astype("int32");
      expectNnkitError(() => random.bits([2], notAKey), "bits", "key", "int32");
      expectNnkitError(() => random.uniform(0, 1, [2], "float32", notAKey), "uniform", "key");
      expectNnkitError(() => random.normal([2], "float32", 0, 1, notAKey), "normal", "key");
      expectNnkitError(() => random.split(key, 0), "split", "num");
    });
  });
}
