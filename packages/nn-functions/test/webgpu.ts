import { existsSync } from "node:fs";
import type { WebGPUBackend, WebGPUBackendOptions } from "@nnkit/kernels-webgpu";


/**
 * A WebGPU backend on Dawn (the `webgpu` package) in Node, or the reason there is none: no
 * SwiftShader ICD (VK_ICD_FILENAMES, from Debian's chromium package), no adapter, or no device.
 * The backend is created, not registered.
 */
export async function createDawnBackend(
  options: WebGPUBackendOptions = {},
): Promise<
  { backend: WebGPUBackend; reason?: undefined } | { backend?: undefined; reason: string }
> {
  const icd = process.env.VK_ICD_FILENAMES;
  if (icd && !existsSync(icd)) {
    return {
      reason: `VK_ICD_FILENAMES points to ${icd}, which does not exist (apt-get install chromium libvulkan1)`,
    };
  }
  let modules: [typeof import("webgpu"), typeof import("@nnkit/kernels-webgpu")];
  try {
    modules = await Promise.all([import("webgpu"), import("@nnkit/kernels-webgpu")]);
  } catch (e) {
    return {
      reason: `cannot load Dawn (webgpu) or @nnkit/kernels-webgpu (pnpm build first): ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const [{ create, globals }, { WebGPUBackend }] = modules;
  try {
    Object.assign(globalThis, globals);
    return { backend: await WebGPUBackend.create({ ...options, gpu: create([]) }) };
  } catch (e) {
    return {
      reason: `no WebGPU adapter through Dawn: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
