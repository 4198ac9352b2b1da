import { describe, expect, it } from "vitest";
import { dawnGpu, describeUnavailable } from "./dawn.js";

/**
 * Browsers and Deno: `import "@nnkit/kernels-webgpu"` alone registers the backend on
 * navigator.gpu (here Dawn's GPU object stands in for the browser's).
 */

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("navigator.gpu", reason ?? "unknown");
} else {
  describe("navigator.gpu", () => {
    it("importing the package is enough: initBackends() picks webgpu", async () => {
      Object.defineProperty(globalThis, "navigator", {
        value: { gpu },
        configurable: true,
        writable: true,
      });
      try {
        const core = await import("@nnkit/core");
        await import("@nnkit/kernels-cpu");
        await import("../src/index.js");
        expect(await core.initBackends()).toBe("webgpu");
        const y = core.multiply(core.array([1, 2]), 3);
        expect(y.device).toBe("webgpu");
        expect(Array.from(await y.data())).toEqual([3, 6]);
      } finally {
        Reflect.deleteProperty(globalThis, "navigator");
      }
    });
  });
}
