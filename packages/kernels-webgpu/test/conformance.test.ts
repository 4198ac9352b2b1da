import { defineConformanceSuite } from "@nnkit/conformance";
import { registerBackend } from "@nnkit/core";
// The CPU is registered too, so the suite's cross-backend tests (x.to("cpu")) run on WebGPU.
import "@nnkit/kernels-cpu";
import { createDawnBackend, describeUnavailable } from "./dawn.js";

const { backend, reason } = await createDawnBackend();

if (backend) {
  registerBackend("webgpu", () => backend, { priority: 10 });
  // WebGPU computes in f32 with its own transcendental functions: within 4 ulp, or within the
  // issue's required accuracy |error| ≤ 2^-22·max(1, |exact|).
  defineConformanceSuite({
    backend: "webgpu",
    canReadSync: false,
    maxUlpFloat32: 4,
    relativeTolerance: 2 ** -22,
    dtypes: backend.dtypes,
    subnormalsMayFlush: true,
  });
} else {
  describeUnavailable('conformance on "webgpu"', reason ?? "unknown");
}
