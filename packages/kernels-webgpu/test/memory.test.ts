import {
  add,
  array,
  evaluate,
  exp,
  getStats,
  logSoftmax,
  maximum,
  multiply,
  type Array as NdArray,
  registerBackend,
  setDefaultDevice,
  sum,
  tanh,
} from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { WebGPUBackend } from "../src/index.js";
import { type DeviceProbe, dawnGpu, describeUnavailable, instrumentGpu } from "./dawn.js";

/**
 * GPU memory: dispose() releases an array's buffer at once, the live-buffer count (backend and
 * getStats()) returns to where it started, the pool reuses buffers instead of allocating, and
 * buffers beyond the pool's budget (or trimmed from it) are destroyed. The device is
 * instrumented to count the storage buffers really created and destroyed.
 */

/** Resolves once every queued GPU step has run (a read waits for the ordered stream). */
async function flush(): Promise<void> {
  const z = array([0]);
  try {
    await z.data();
  } finally {
    z.dispose();
  }
}

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("webgpu memory", reason ?? "unknown");
} else {
  const pooled = instrumentGpu(gpu);
  const backend = await WebGPUBackend.create({ name: "webgpu", gpu: pooled.gpu });
  registerBackend("webgpu", () => backend, { priority: 10 });
  const probe = pooled.devices[0] as DeviceProbe;

  const unpooled = instrumentGpu(gpu);
  const noPool = await WebGPUBackend.create({
    name: "webgpu-nopool",
    gpu: unpooled.gpu,
    maxPooledBytes: 0,
  });
  registerBackend("webgpu-nopool", () => noPool, { priority: 5 });
  const noPoolProbe = unpooled.devices[0] as DeviceProbe;

  describe("webgpu memory", () => {
    afterAll(() => {
      probe.real.destroy();
      noPoolProbe.real.destroy();
    });

    it("10,000 elementwise ops with dispose return the live-buffer count to its start, reusing pooled buffers", async () => {
      await setDefaultDevice("webgpu");
      const start = backend.liveBuffers();
      const statsStart = getStats().liveBuffers;
      const createdStart = probe.storageCreated;
      const xs = Float32Array.from({ length: 1000 }, (_, i) => i / 500 - 1);
      let x = array(xs);
      const ops: ((x: NdArray, i: number) => NdArray)[] = [
        (x) => exp(x),
        (x, i) => add(x, i),
        (x) => multiply(tanh(x), x),
        (x) => maximum(x, 0.25),
      ];
      for (let i = 0; i < 10_000; i++) {
        if (i % 100 === 99) {
          // fresh host data now and then: uploads are released like results
          x.dispose();
          x = array(xs);
        }
        const y = (ops[i % ops.length] as (x: NdArray, i: number) => NdArray)(x, i);
        await evaluate(y);
        if (i % 2500 === 1) {
          const got = await y.data();
          expect(got[0], `add(x, ${i}) at x = -1`).toBeCloseTo(i - 1, 3);
        }
        y.dispose();
      }
      expect(backend.liveBuffers() - start, "live buffers while x is alive").toBe(1);
      x.dispose();
      expect(backend.liveBuffers(), "backend live buffers").toBe(start);
      expect(getStats().liveBuffers, "getStats().liveBuffers").toBe(statsStart);
      await flush();
      // Same shapes over and over: after the first few, every buffer comes from the pool.
      expect(probe.storageCreated - createdStart, "storage buffers created").toBeLessThan(32);
    });

    it("reductions and softmax with dispose leave no live buffer behind", async () => {
      await setDefaultDevice("webgpu");
      const start = backend.liveBuffers();
      await flush();
      const aliveBefore = probe.storageCreated - probe.storageDestroyed;
      const base = array(Float32Array.from({ length: 600 }, (_, i) => Math.sin(i)));
      const x = base.reshape([20, 30]); // a view: base holds the buffer
      for (let i = 0; i < 200; i++) {
        const y = i % 2 === 0 ? sum(exp(x), 1) : logSoftmax(x, 0);
        await evaluate(y);
        y.dispose();
      }
      x.dispose();
      base.dispose();
      expect(backend.liveBuffers()).toBe(start);
      await flush();
      // Scratch buffers a kernel creates for itself must be destroyed (or reused), not kept per op.
      expect(
        probe.storageCreated - probe.storageDestroyed - aliveBefore,
        "storage buffers still alive after 200 reductions (pool included)",
      ).toBeLessThan(16);
    });

    it("dispose() with maxPooledBytes: 0 destroys the GPU buffer (once queued work that uses it has run)", async () => {
      await setDefaultDevice("webgpu-nopool");
      const start = noPool.liveBuffers();
      const x = array(Float32Array.from({ length: 4096 }, (_, i) => i));
      for (let i = 0; i < 50; i++) {
        const y = add(x, i);
        await evaluate(y);
        y.dispose();
      }
      x.dispose();
      expect(noPool.liveBuffers()).toBe(start);
      await flush();
      expect(noPoolProbe.storageDestroyed, "storage buffers destroyed").toBe(
        noPoolProbe.storageCreated - noPool.liveBuffers(),
      );
    });

    it("trimPool() destroys every pooled buffer", async () => {
      await setDefaultDevice("webgpu");
      const start = backend.liveBuffers();
      await flush();
      const before = probe.storageDestroyed;
      backend.trimPool();
      await flush();
      expect(probe.storageDestroyed - before, "pooled buffers destroyed").toBeGreaterThan(0);
      // Left alive: live arrays, flush()'s own buffer (back in the pool) and any scratch
      // buffers kernels keep for themselves (a few at most).
      expect(
        probe.storageCreated - probe.storageDestroyed,
        "storage buffers alive",
      ).toBeLessThanOrEqual(backend.liveBuffers() + 1 + 4);
      expect(backend.liveBuffers()).toBe(start);
    });
  });
}
