import {
  add,
  array,
  evaluate,
  exp,
  listBackends,
  NnkitError,
  registerBackend,
  setDefaultDevice,
} from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { type DeviceLostInfo, WebGPUBackend } from "../src/index.js";
import { type DeviceProbe, dawnGpu, describeUnavailable, instrumentGpu } from "./dawn.js";

/**
 * Device loss. Dawn cannot be made to lose a device from JavaScript (the webgpu package does
 * not expose wgpuDeviceForceLoss) and `device.destroy()` reports reason "destroyed", which the
 * backend deliberately ignores (that is the user's own doing). So the test's GPU object hands
 * the backend an instrumented device whose `lost` promise the test resolves with reason
 * "unknown", as a GPU reset or driver crash does, while destroying the real device so that
 * work still on it really fails.
 */

function nextLoss(backend: WebGPUBackend): Promise<DeviceLostInfo> {
  return new Promise((resolve) => {
    backend.addEventListener(
      "devicelost",
      (e) => resolve((e as CustomEvent<DeviceLostInfo>).detail),
      { once: true },
    );
  });
}

async function expectLostError(p: Promise<unknown>): Promise<NnkitError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "an NnkitError").toBeInstanceOf(NnkitError);
  const message = (error as Error).message;
  expect(message).toMatch(/device was lost/);
  expect(message).toContain("simulated GPU reset");
  expect(message).toContain("recover()");
  return error as NnkitError;
}

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("webgpu device loss", reason ?? "unknown");
} else {
  describe("webgpu device loss", () => {
    const probes: DeviceProbe[] = [];
    afterAll(() => {
      for (const p of probes) p.real.destroy();
    });

    it("reports the loss (event, listBackends), fails further work clearly, and recover() brings it back", async () => {
      const instrumented = instrumentGpu(gpu);
      const backend = await WebGPUBackend.create({ name: "webgpu-lossy", gpu: instrumented.gpu });
      registerBackend("webgpu-lossy", () => backend, { priority: 10 });
      await setDefaultDevice("webgpu-lossy");
      probes.push(...instrumented.devices);

      const x = array([0, 1, 2]);
      expect(Array.from(await add(x, 1).data())).toEqual([1, 2, 3]);
      const pending = exp(x); // recorded before the loss, read after it

      const lost = nextLoss(backend);
      (instrumented.devices[0] as DeviceProbe).lose("unknown", "simulated GPU reset");
      const info = await lost;
      expect(info).toEqual({ reason: "unknown", message: "simulated GPU reset" });

      const entry = listBackends().find((b) => b.name === "webgpu-lossy");
      expect(entry?.error).toMatch(/device lost \(unknown\): simulated GPU reset/);
      expect(backend.failure).toBe(entry?.error);

      // Nothing silently wrong: reads of old and new work reject with the reason.
      await expectLostError(pending.data());
      await expectLostError(x.data());
      await expectLostError(add(array([5, 6]), 1).data());
      await expectLostError(evaluate(exp(array([1]))));

      await backend.recover();
      expect(instrumented.devices.length, "a new device").toBe(2);
      probes.push(instrumented.devices[1] as DeviceProbe);
      expect(listBackends().find((b) => b.name === "webgpu-lossy")?.error).toBeUndefined();
      expect(backend.failure).toBeUndefined();
      expect(Array.from(await add(array([1, 2]), 1).data())).toEqual([2, 3]);

      // Arrays from the lost device stay unusable (binding them to the new one would fail
      // silently on the GPU), with a clear error.
      const stale = await add(x, 1)
        .data()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(stale).toBeInstanceOf(NnkitError);
      expect((stale as Error).message).toMatch(/lost|recompute/);
      x.dispose();
      pending.dispose();
    });

    it("with recreateOnLoss, a new device is acquired by itself", async () => {
      const instrumented = instrumentGpu(gpu);
      const backend = await WebGPUBackend.create({
        name: "webgpu-phoenix",
        gpu: instrumented.gpu,
        recreateOnLoss: true,
      });
      registerBackend("webgpu-phoenix", () => backend, { priority: 10 });
      await setDefaultDevice("webgpu-phoenix");
      const first = instrumented.devices[0] as DeviceProbe;
      probes.push(first);

      expect(Array.from(await add(array([1]), 1).data())).toEqual([2]);
      const lost = nextLoss(backend);
      first.lose("unknown", "simulated GPU reset");
      await lost;

      // The re-creation started by itself; recover() waits for it instead of starting another.
      await backend.recover();
      expect(instrumented.devices.length, "exactly one new device").toBe(2);
      probes.push(instrumented.devices[1] as DeviceProbe);
      expect(backend.failure).toBeUndefined();
      expect(listBackends().find((b) => b.name === "webgpu-phoenix")?.error).toBeUndefined();
      expect(Array.from(await add(array([1, 2]), 1).data())).toEqual([2, 3]);
    });

    it("device.destroy() by the user is not reported as a loss", async () => {
      const instrumented = instrumentGpu(gpu);
      const backend = await WebGPUBackend.create({
        name: "webgpu-destroyed",
        gpu: instrumented.gpu,
      });
      let events = 0;
      backend.addEventListener("devicelost", () => events++);
      (instrumented.devices[0] as DeviceProbe).real.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(events).toBe(0);
      expect(backend.failure).toBeUndefined();
    });
  });
}
