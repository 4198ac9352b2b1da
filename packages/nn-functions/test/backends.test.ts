import { describeUnavailable, type SuiteOptions, useBackend } from "@nnkit/conformance";
import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "@nnkit/kernels-cpu";
import { describe } from "vitest";
import { defineActivationSuites } from "./activations/index.js";
import { createDawnBackend } from "./webgpu.js";

// The activation suite is written once and run on every backend nnkit has: the CPU's default
// path ("cpu", registered by importing the package: WebAssembly SIMD with the compiled-JavaScript
// fallback), compiled JavaScript alone, its CSP-safe interpreter, and WebGPU
// through Dawn with SwiftShader when an adapter is found. A new backend package joins by being
// added here (and as a devDependency).
registerBackend("cpu-compiled", () => new CpuBackend({ name: "cpu-compiled", mode: "compiled" }));
registerBackend(
  "cpu-interpreted",
  () => new CpuBackend({ name: "cpu-interpreted", mode: "interpreted" }),
);

const BACKENDS: SuiteOptions[] = [
  { backend: "cpu", canReadSync: true, maxUlpFloat32: 1 },
  { backend: "cpu-compiled", canReadSync: true, maxUlpFloat32: 1 },
  { backend: "cpu-interpreted", canReadSync: true, maxUlpFloat32: 1 },
];

// WebGPU computes in f32: within 4 ulp, or within the required 2^-22·max(1, |exact|).
const webgpu = await createDawnBackend();
if (webgpu.backend) {
  const backend = webgpu.backend;
  registerBackend("webgpu", () => backend, { priority: 10 });
  BACKENDS.push({
    backend: "webgpu",
    canReadSync: false,
    maxUlpFloat32: 4,
    relativeTolerance: 2 ** -22,
    dtypes: backend.dtypes,
    subnormalsMayFlush: true,
  });
}

for (const options of BACKENDS) {
  describe(`activations on "${options.backend}"`, () => {
    useBackend(options);
    defineActivationSuites(options);
  });
}

if (webgpu.reason !== undefined) {
  describeUnavailable(`activations on "webgpu"`, webgpu.reason);
}
