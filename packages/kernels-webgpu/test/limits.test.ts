import { FLOAT32, withinBound } from "@nnkit/conformance";
import {
  add,
  array,
  concatenate,
  exp,
  greater,
  logSoftmax,
  logsumexp,
  max,
  mean,
  multiply,
  type Array as NdArray,
  registerBackend,
  setDefaultDevice,
  softmax,
  sum,
  tanh,
  transpose,
  where,
} from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { afterAll, describe, expect, it } from "vitest";
import { WebGPUBackend } from "../src/index.js";
import { type DeviceProbe, dawnGpu, describeUnavailable, instrumentGpu } from "./dawn.js";

/**
 * Arrays far larger than the device limits the kernels plan against, lowered on purpose with
 * `kernelLimits`: every storage binding must stay within maxStorageBufferBindingSize and every
 * dispatch within maxComputeWorkgroupsPerDimension (chunked dispatch or 2-D grids), and the
 * results must equal the CPU's. The device is instrumented to see every binding and dispatch.
 */

const CONFIGS = [
  // the case: tiny bindings (1024 float32) and at most 8 workgroups per dimension
  { name: "webgpu-small", maxStorageBufferBindingSize: 4096, maxComputeWorkgroupsPerDimension: 8 },
  // bindings unrestricted, so large dispatches must go to 2-D grids or several dispatches
  { name: "webgpu-grid", maxComputeWorkgroupsPerDimension: 64 },
] as const;

/** float32: within 4 ulp or 2^-22·max(1, |exact|), the backend's accuracy promise. */
const BOUND = { maxUlp: 4, relativeTolerance: 2 ** -22 };

/** Deterministic pseudo-random floats in [lo, hi). */
function floats(n: number, lo: number, hi: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

async function compute(device: string, f: () => NdArray): Promise<number[]> {
  await setDefaultDevice(device);
  const y = f();
  try {
    expect(y.device).toBe(device);
    return Array.from(await y.data());
  } finally {
    y.dispose();
  }
}

/** The elements where `got` is outside the bound from the CPU's `want` (at most 5, then a count). */
function mismatches(
  want: readonly number[],
  got: readonly number[],
  ok: (w: number, g: number) => boolean,
): string[] {
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    if (!ok(want[i] as number, got[i] as number)) {
      count++;
      if (bad.length < 5) bad.push(`[${i}]: cpu ${want[i]}, webgpu ${got[i]}`);
    }
  }
  if (count > bad.length) bad.push(`... ${count - bad.length} more`);
  return bad;
}

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("webgpu with small kernel limits", reason ?? "unknown");
} else {
  for (const config of CONFIGS) {
    const { name, ...kernelLimits } = config;
    const instrumented = instrumentGpu(gpu);
    const backend = await WebGPUBackend.create({ name, gpu: instrumented.gpu, kernelLimits });
    registerBackend(name, () => backend, { priority: 10 });
    const probe = instrumented.devices[0] as DeviceProbe;
    const maxBinding = "maxStorageBufferBindingSize" in kernelLimits ? 4096 : Infinity;

    describe(`${name}: kernelLimits ${JSON.stringify(kernelLimits)}`, () => {
      afterAll(async () => {
        await setDefaultDevice("cpu");
        probe.real.destroy();
      });

      /** Runs `f` on the CPU and on this backend and compares elementwise. */
      async function agree(
        f: () => NdArray,
        ok: (w: number, g: number) => boolean = (w, g) => withinBound(FLOAT32, w, g, BOUND).ok,
      ): Promise<void> {
        const want = await compute("cpu", f);
        probe.maxStorageBinding = 0;
        probe.maxWorkgroupsPerDimension = 0;
        const got = await compute(name, f);
        expect(got.length).toBe(want.length);
        expect(mismatches(want, got, ok)).toEqual([]);
        expect(probe.maxStorageBinding, "largest storage binding (bytes)").toBeLessThanOrEqual(
          maxBinding,
        );
        expect(probe.maxWorkgroupsPerDimension, "largest workgroup count").toBeLessThanOrEqual(
          kernelLimits.maxComputeWorkgroupsPerDimension,
        );
      }

      const n = 100_003; // ~400 KB of float32: ~100 bindings of 4 KB, ~400 workgroups of 256
      const a = floats(n, -20, 20, 1);
      const b = floats(n, -3, 3, 2);
      const m = floats(400 * 300, -10, 10, 3);

      it("an elementwise transcendental chain on 100,003 elements (one fused kernel)", async () => {
        await agree(() => add(tanh(multiply(exp(array(b)), 0.5)), array(a)));
      });

      it("broadcasting (317, 1) + (1, 331) and a transposed input", async () => {
        const col = floats(317, -5, 5, 4);
        const row = floats(331, -5, 5, 5);
        await agree(() =>
          add(array(col).reshape([317, 1]), array(row).reshape([1, 331])).multiply(
            transpose(array(floats(317 * 331, 0, 1, 6)).reshape([331, 317])),
          ),
        );
      });

      it("int32 and bool results (exact)", async () => {
        const ints = Int32Array.from(a, (v) => Math.round(v * 1000));
        await agree(
          () => multiply(array(ints), 3).add(7),
          (w, g) => w === g,
        );
        await agree(
          () => where(greater(array(a), array(b)), array(a), array(b)),
          (w, g) => Object.is(w, g),
        );
        await agree(
          () => greater(array(a), 0),
          (w, g) => w === g,
        );
      });

      // Summation order differs from the CPU's exact float64 sum: allow 2^-20 of Σ|x|.
      const sumOk = (scale: number) => (w: number, g: number) =>
        Math.abs(w - g) <= 2 ** -20 * scale;
      const exact = (w: number, g: number) => Object.is(w, g);
      const close = (w: number, g: number) => withinBound(FLOAT32, w, g, BOUND).ok;
      const logClose = (w: number, g: number) =>
        Math.abs(w - g) <= 2 ** -20 * Math.max(1, Math.abs(w));
      const mat = () => array(m).reshape([400, 300]); // 480 KB; rows of 1200 bytes

      it("sum, mean, max and logsumexp over the last axis (400 rows, each within a binding)", async () => {
        await agree(() => sum(mat(), 1), sumOk(300 * 10));
        await agree(() => mean(mat(), -1), sumOk(10));
        await agree(() => max(mat(), 1), exact);
        await agree(() => logsumexp(mat(), 1), logClose);
      });

      it("sum, max and mean over leading axes (strided rows spanning more than a binding)", async () => {
        await agree(() => sum(mat(), 0), sumOk(400 * 10));
        await agree(() => max(mat(), 0), exact);
        await agree(() => mean(array(m).reshape([40, 50, 60]), [0, 2]), sumOk(10));
      });

      it("sum, mean and max of all 100,003 elements (one row longer than a binding)", async () => {
        const totalAbs = a.reduce((t, v) => t + Math.abs(v), 0);
        await agree(() => sum(array(a)), sumOk(totalAbs));
        await agree(() => mean(array(a)), sumOk(totalAbs / n));
        await agree(() => max(array(a)), exact);
      });

      it("softmax and logSoftmax over 400 rows of 300 (each within a binding)", async () => {
        await agree(() => softmax(mat(), -1), close);
        await agree(() => logSoftmax(mat(), -1), logClose);
      });

      it("softmax and logSoftmax over rows longer than a binding, and over a strided axis", async () => {
        const long = () => array(floats(40 * 3000, -30, 30, 7)).reshape([40, 3000]);
        await agree(() => softmax(long(), -1), close);
        await agree(() => logSoftmax(long(), -1), logClose);
        await agree(() => softmax(array(floats(3000 * 7, -5, 5, 9)).reshape([3000, 7]), 0), close);
      });

      it("concatenate of large arrays", async () => {
        await agree(() => concatenate([array(a), array(b), array(m)], 0), exact);
        await agree(() => concatenate([mat(), mat().multiply(2)], 1), exact);
      });

      it("planned within the limits it was given, without narrowing the device's own", () => {
        expect(probe.dispatches, "kernels dispatched").toBeGreaterThan(0);
        expect(backend.device.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThan(
          kernelLimits.maxComputeWorkgroupsPerDimension,
        );
      });
    });
  }
}
