import { defineConformanceSuite } from "@nnkit/conformance";
import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "../src/index.js";

// The same suite runs on the compiled path ("cpu", registered by importing the package) and on
// the CSP-safe interpreter, which must give identical answers.
registerBackend(
  "cpu-interpreted",
  () => new CpuBackend({ name: "cpu-interpreted", mode: "interpreted" }),
);

defineConformanceSuite({ backend: "cpu", canReadSync: true, maxUlpFloat32: 1 });
defineConformanceSuite({ backend: "cpu-interpreted", canReadSync: true, maxUlpFloat32: 1 });
