import { type SuiteOptions, useBackend } from "@nnkit/conformance";
import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "@nnkit/kernels-cpu";
import { describe } from "vitest";
import { defineActivationSuites } from "./activations/index.js";

// The activation suite is written once and run on every backend nnkit has: the CPU's compiled
// path ("cpu", registered by importing the package) and its CSP-safe interpreter. A new backend
// package joins by being added here (and as a devDependency).
registerBackend(
  "cpu-interpreted",
  () => new CpuBackend({ name: "cpu-interpreted", mode: "interpreted" }),
);

const BACKENDS: readonly SuiteOptions[] = [
  { backend: "cpu", canReadSync: true, maxUlpFloat32: 1 },
  { backend: "cpu-interpreted", canReadSync: true, maxUlpFloat32: 1 },
];

for (const options of BACKENDS) {
  describe(`activations on "${options.backend}"`, () => {
    useBackend(options);
    defineActivationSuites(options);
  });
}
