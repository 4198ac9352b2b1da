import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "./backend.js";

export {
  CpuBackend,
  type CpuBackendOptions,
  type CpuMode,
  type ElementwiseRuns,
} from "./backend.js";
export { erf, erfc, erfinv, tanh } from "./math/index.js";
export type { MathPrecision } from "./wasm/math/index.js";

// Importing this package registers the CPU backend; it does nothing else.
registerBackend("cpu", () => new CpuBackend(), { priority: 0 });
