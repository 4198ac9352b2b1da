import { registerBackend } from "@nnkit/core";
import { CpuBackend } from "./backend.js";

export { CpuBackend, type CpuBackendOptions } from "./backend.js";
export { erf, erfc } from "./math/erf.js";
export { erfinv } from "./math/erfinv.js";

// Importing this package registers the CPU backend; it does nothing else.
registerBackend("cpu", () => new CpuBackend(), { priority: 0 });
