import { add, array, getDefaultDevice, initBackends, listBackends, sum } from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { describe, expect, it } from "vitest";
import { registerWebGPU, WEBGPU_PRIORITY } from "../src/index.js";
import { dawnGpu, describeUnavailable } from "./dawn.js";

/** Node: registerWebGPU({ gpu }) with Dawn's GPU object, then initBackends() picks WebGPU. */

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("registerWebGPU({ gpu }) in Node", reason ?? "unknown");
} else {
  describe("registerWebGPU({ gpu }) in Node", () => {
    it("initBackends() makes webgpu the default over cpu, by priority", async () => {
      registerWebGPU({ gpu });
      const before = listBackends().find((b) => b.name === "webgpu");
      expect(before?.initialized, "registering initialises nothing").toBe(false);

      expect(await initBackends()).toBe("webgpu");
      expect(getDefaultDevice()).toBe("webgpu");
      const info = listBackends();
      expect(info.map((b) => b.name)).toEqual(["webgpu", "cpu"]);
      expect(info[0]).toMatchObject({
        name: "webgpu",
        priority: WEBGPU_PRIORITY,
        initialized: true,
        isDefault: true,
      });
      expect(info[0]?.error).toBeUndefined();
      // the adapter, for people (e.g. "google swiftshader" or "nvidia: 580.159.04 …")
      expect(info[0]?.description).toMatch(/\S/);
      expect(info[0]?.liveBuffers).toBeTypeOf("number");
      expect(WEBGPU_PRIORITY).toBeGreaterThan(info[1]?.priority ?? 0);

      const x = array([1, 2, 3]);
      const y = sum(add(x, 1));
      expect(y.device).toBe("webgpu");
      expect(Array.from(await y.data())).toEqual([9]);
    });
  });
}
