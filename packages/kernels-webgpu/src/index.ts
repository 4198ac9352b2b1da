import { registerBackend } from "@nnkit/core";
import { WebGPUBackend, type WebGPUBackendOptions } from "./backend.js";

export { type DeviceLostInfo, WebGPUBackend, type WebGPUBackendOptions } from "./backend.js";
export type { KernelLimits } from "./gpu/context.js";

/** Priority above the CPU's, so WebGPU is the default wherever it initialises. */
export const WEBGPU_PRIORITY = 10;

/**
 * Registers the WebGPU backend (as "webgpu" unless `options.name` says otherwise). Nothing is
 * initialised until it is needed: `await setDefaultDevice("webgpu")` or `await initBackends()`.
 * In Node, pass a GPU object: `registerWebGPU({ gpu: create([]) })` with `create` from the
 * `webgpu` package.
 */
export function registerWebGPU(options: WebGPUBackendOptions = {}): void {
  registerBackend(options.name ?? "webgpu", () => WebGPUBackend.create(options), {
    priority: WEBGPU_PRIORITY,
  });
}

// Importing this package registers the backend with navigator.gpu (browsers, Deno); it does
// nothing else. Node users call registerWebGPU({ gpu }) to supply a GPU object.
registerWebGPU();
