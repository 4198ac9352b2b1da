import { array, astype, NnkitError, registerBackend, setDefaultDevice } from "@nnkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GpuContext } from "../src/gpu/context.js";
import { createDawnBackend, describeUnavailable } from "./dawn.js";

/** The errors a user meets first on WebGPU name the cause and the fix. */

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, "an NnkitError").toBeInstanceOf(NnkitError);
  return e as Error;
}

function thrown(f: () => unknown): Error {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, "an NnkitError").toBeInstanceOf(NnkitError);
  return error as Error;
}

const { backend, reason } = await createDawnBackend();

if (!backend) {
  describeUnavailable("webgpu errors", reason ?? "unknown");
} else {
  registerBackend("webgpu", () => backend, { priority: 10 });

  describe("webgpu errors", () => {
    beforeAll(() => setDefaultDevice("webgpu"));
    afterAll(() => backend.device.destroy());

    it("dataSync(), tolist() and item() say to use await x.data()", async () => {
      const x = array([1, 2, 3]);
      for (const [fn, call] of [
        ["dataSync", () => x.dataSync()],
        ["tolist", () => x.tolist()],
        ["item", () => x.sum().item()],
      ] as const) {
        const e = thrown(call);
        expect((e as NnkitError).fn).toBe(fn);
        expect(e.message).toContain("await x.data()");
        expect(e.message).toContain("webgpu");
      }
      // and the asynchronous read works
      expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    });

    it("the backend's own readSync names await x.data()", () => {
      const e = thrown(() => backend.readSync());
      expect(e.message).toContain("await x.data()");
      expect(backend.canReadSync).toBe(false);
    });

    // Which of the two applies depends on the adapter (SwiftShader has no shader-f16).
    it.skipIf(backend.supportsFloat16)(
      "float16 without shader-f16 is refused, naming the missing feature",
      async () => {
        const created = await rejection(array([1, 2], "float16").data());
        expect(created.message).toContain('"shader-f16"');
        expect(created.message).toContain("float16");
        const cast = await rejection(astype(array([1, 2]), "float16").data());
        expect(cast.message).toContain('"shader-f16"');
      },
    );

    it.runIf(backend.supportsFloat16)("float16 works where the device has shader-f16", async () => {
      const got = await array([1.5, -2], "float16").data();
      expect(got.constructor.name).toBe("Uint16Array");
      expect(Array.from(await array([1.5, -2], "float16").toFloat32())).toEqual([1.5, -2]);
    });

    it("a GPU validation error inside a step fails the next read, then the stream recovers", async () => {
      const ctx = new GpuContext(
        backend.device,
        false,
        {
          maxStorageBufferBindingSize: 1 << 20,
          maxComputeWorkgroupsPerDimension: 65535,
          minStorageBufferOffsetAlignment: 256,
        },
        "webgpu-test",
      );
      // MAP_READ may only be combined with COPY_DST: Dawn reports a validation error, no throw.
      ctx.enqueue(() => {
        backend.device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE,
        });
      });
      const e = await rejection(ctx.flush());
      expect(e.message).toMatch(/^webgpu-test: the GPU reported a validation error: /);
      ctx.enqueue(() => {});
      await expect(ctx.flush()).resolves.toBeUndefined();
    });

    it("bfloat16 is refused with a clear error", async () => {
      const e = await rejection(array([1, 2], "bfloat16").data());
      expect(e.message).toContain("bfloat16");
      expect(e.message).toMatch(/does not support/);
      const cast = await rejection(astype(array([1, 2]), "bfloat16").data());
      expect(cast.message).toContain("bfloat16");
    });
  });
}
