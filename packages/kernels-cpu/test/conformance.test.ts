import { defineConformanceSuite } from "@nnkit/conformance";
import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "../src/index.js";

// The same suite, each result within 1 float32 ulp of the exact value, runs on the default path
// ("cpu", registered by importing the package: the WebAssembly SIMD path with its error-bounded
// math and its compiled-JavaScript fallback, where SIMD is available, as in Node 20 —
// test/wasm.test.ts checks that), on the SIMD path with the JavaScript path's math
// (`math: "reproducible"`), on compiled JavaScript alone and on the CSP-safe interpreter.
registerBackend(
  "cpu-reproducible",
  () => new CpuBackend({ name: "cpu-reproducible", mode: "wasm", math: "reproducible" }),
);
registerBackend("cpu-compiled", () => new CpuBackend({ name: "cpu-compiled", mode: "compiled" }));
registerBackend(
  "cpu-interpreted",
  () => new CpuBackend({ name: "cpu-interpreted", mode: "interpreted" }),
);

defineConformanceSuite({ backend: "cpu", canReadSync: true, maxUlpFloat32: 1 });
defineConformanceSuite({ backend: "cpu-reproducible", canReadSync: true, maxUlpFloat32: 1 });
defineConformanceSuite({ backend: "cpu-compiled", canReadSync: true, maxUlpFloat32: 1 });
defineConformanceSuite({ backend: "cpu-interpreted", canReadSync: true, maxUlpFloat32: 1 });
