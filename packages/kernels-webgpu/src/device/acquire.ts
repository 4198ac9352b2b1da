import { NnkitError } from "@nnkit/core";

export interface AcquireOptions {
  /** A `GPU` object: `navigator.gpu` in browsers and Deno, or `create([])` from the `webgpu` package in Node. */
  readonly gpu?: GPU;
  readonly powerPreference?: GPUPowerPreference;
  /** Extra device limits to request (each must be within the adapter's). */
  readonly requiredLimits?: Record<string, number>;
}

export interface Acquired {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly hasF16: boolean;
  readonly description: string;
}

function navigatorGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/** Finds an adapter and a device, requesting shader-f16 when the adapter has it. */
export async function acquireDevice(options: AcquireOptions): Promise<Acquired> {
  const gpu = options.gpu ?? navigatorGpu();
  if (!gpu) {
    throw new NnkitError(
      "webgpu",
      'no WebGPU available: navigator.gpu is missing. In Node, pass a GPU object: registerWebGPU({ gpu: create([]) }) with create from the "webgpu" package',
    );
  }
  const adapter = await gpu.requestAdapter(
    options.powerPreference ? { powerPreference: options.powerPreference } : undefined,
  );
  if (!adapter) {
    throw new NnkitError(
      "webgpu",
      "requestAdapter() returned no adapter (no usable GPU or driver)",
    );
  }
  const hasF16 = adapter.features.has("shader-f16");
  const limits: Record<string, number> = {
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    ...options.requiredLimits,
  };
  const device = await adapter.requestDevice({
    requiredFeatures: hasF16 ? ["shader-f16"] : [],
    requiredLimits: limits,
  });
  const info = adapter.info;
  const description = [info?.vendor, info?.architecture, info?.device, info?.description]
    .filter((s) => s !== undefined && s !== "")
    .join(" ");
  return { adapter, device, hasF16, description: description || "unknown adapter" };
}
