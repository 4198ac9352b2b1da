import { existsSync } from "node:fs";
import { WebGPUBackend, type WebGPUBackendOptions } from "../src/index.js";

// The skip convention lives in the conformance package, shared by every WebGPU test file.
export { describeUnavailable, WEBGPU_UNAVAILABLE } from "@nnkit/conformance";

/** Why Dawn cannot find SwiftShader, if VK_ICD_FILENAMES points nowhere. */
function icdProblem(): string | undefined {
  const icd = process.env.VK_ICD_FILENAMES;
  if (icd && !existsSync(icd)) {
    return `VK_ICD_FILENAMES points to ${icd}, which does not exist (apt-get install chromium libvulkan1)`;
  }
  return undefined;
}

/** Dawn's GPU object (the `webgpu` package), with WebGPU's globals installed, or why not. */
export async function dawnGpu(): Promise<{ gpu?: GPU; reason?: string }> {
  const problem = icdProblem();
  if (problem) return { reason: problem };
  try {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { reason: "no WebGPU adapter through Dawn (requestAdapter() gave null)" };
    return { gpu };
  } catch (e) {
    return {
      reason: `no WebGPU adapter through Dawn: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/**
 * Creates a WebGPU backend on Dawn (the `webgpu` package) in Node, or explains why it cannot.
 * Tests that need it report themselves as skipped with this reason; CI fails on such skips.
 */
export async function createDawnBackend(
  options: WebGPUBackendOptions = {},
): Promise<{ backend?: WebGPUBackend; reason?: string }> {
  const { gpu, reason } = await dawnGpu();
  if (!gpu) return { reason: reason ?? "no WebGPU" };
  try {
    return { backend: await WebGPUBackend.create({ ...options, gpu }) };
  } catch (e) {
    return {
      reason: `no WebGPU device through Dawn: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

// ---- instrumentation -------------------------------------------------------------------------

/** One storage-buffer binding seen by createBindGroup: how many bytes the shader can address. */
export interface BindingRecord {
  readonly bytes: number;
}

/** What an instrumented device has done, and a way to make it look lost. */
export interface DeviceProbe {
  /** The real Dawn device behind the one the backend holds. */
  readonly real: GPUDevice;
  /** Storage buffers created and destroyed (uniform and staging buffers are not counted). */
  storageCreated: number;
  storageDestroyed: number;
  /** Largest storage binding (bytes) and workgroup count per dimension seen so far. */
  maxStorageBinding: number;
  maxWorkgroupsPerDimension: number;
  dispatches: number;
  /**
   * Simulates a real device loss (a GPU reset or driver crash): `device.lost` resolves with
   * `reason` (not "destroyed", which the backend deliberately ignores) and the real device is
   * destroyed, so any work still on it fails as it would on a lost device. Dawn's own
   * `wgpuDeviceForceLoss` is not exposed to JavaScript by the webgpu package.
   */
  lose(reason?: GPUDeviceLostReason, message?: string): void;
}

/** A GPU object whose devices report to `devices` (one DeviceProbe per requestDevice). */
export interface InstrumentedGpu {
  readonly gpu: GPU;
  readonly devices: DeviceProbe[];
}

/** Calls through to the real object, with its own methods bound to it (native `this` checks). */
function passThrough<T extends object>(target: T, prop: string | symbol): unknown {
  const v = Reflect.get(target, prop, target);
  return typeof v === "function" ? v.bind(target) : v;
}

function bindingBytes(resource: GPUBindingResource): number | undefined {
  const r = resource as { buffer?: GPUBuffer; offset?: number; size?: number };
  const buffer = r.buffer ?? (resource as GPUBuffer);
  if (typeof buffer?.usage !== "number" || !(buffer.usage & GPUBufferUsage.STORAGE)) {
    return undefined;
  }
  if (r.buffer === undefined) return buffer.size;
  return r.size ?? buffer.size - (r.offset ?? 0);
}

function instrumentDevice(real: GPUDevice): { device: GPUDevice; probe: DeviceProbe } {
  let resolveLost: (info: GPUDeviceLostInfo) => void = () => {};
  const lost = new Promise<GPUDeviceLostInfo>((r) => {
    resolveLost = r;
  });
  real.lost.then((info) => resolveLost(info)); // real losses pass through
  const probe: DeviceProbe = {
    real,
    storageCreated: 0,
    storageDestroyed: 0,
    maxStorageBinding: 0,
    maxWorkgroupsPerDimension: 0,
    dispatches: 0,
    lose(reason = "unknown", message = "simulated GPU reset (test)") {
      resolveLost({ reason, message } as GPUDeviceLostInfo);
      real.destroy();
    },
  };
  const device = new Proxy(real, {
    get(target, prop) {
      if (prop === "lost") return lost;
      if (prop === "createBuffer") {
        return (desc: GPUBufferDescriptor) => {
          const buffer = target.createBuffer(desc);
          if (desc.usage & GPUBufferUsage.STORAGE) {
            probe.storageCreated++;
            const destroy = buffer.destroy;
            let destroyed = false;
            // Native objects take own properties: count each buffer's first destroy().
            buffer.destroy = function (this: GPUBuffer) {
              if (!destroyed) probe.storageDestroyed++;
              destroyed = true;
              return destroy.call(this);
            };
          }
          return buffer;
        };
      }
      if (prop === "createBindGroup") {
        return (desc: GPUBindGroupDescriptor) => {
          for (const e of desc.entries) {
            const bytes = bindingBytes(e.resource);
            if (bytes !== undefined && bytes > probe.maxStorageBinding) {
              probe.maxStorageBinding = bytes;
            }
          }
          return target.createBindGroup(desc);
        };
      }
      if (prop === "createCommandEncoder") {
        return (desc?: GPUCommandEncoderDescriptor) => {
          const encoder = target.createCommandEncoder(desc);
          const begin = encoder.beginComputePass;
          encoder.beginComputePass = function (this: GPUCommandEncoder, d) {
            const pass = begin.call(this, d);
            const dispatch = pass.dispatchWorkgroups;
            pass.dispatchWorkgroups = function (this: GPUComputePassEncoder, x, y = 1, z = 1) {
              probe.dispatches++;
              probe.maxWorkgroupsPerDimension = Math.max(probe.maxWorkgroupsPerDimension, x, y, z);
              return dispatch.call(this, x, y, z);
            };
            return pass;
          };
          return encoder;
        };
      }
      return passThrough(target, prop);
    },
  });
  return { device, probe };
}

/**
 * Wraps Dawn's GPU object so that every device it hands out is instrumented (see DeviceProbe).
 * The backend sees an ordinary GPU; tests read `devices` to check what it did on the device.
 */
export function instrumentGpu(real: GPU): InstrumentedGpu {
  const devices: DeviceProbe[] = [];
  const wrapAdapter = (adapter: GPUAdapter): GPUAdapter =>
    new Proxy(adapter, {
      get(target, prop) {
        if (prop === "requestDevice") {
          return async (desc?: GPUDeviceDescriptor) => {
            const { device, probe } = instrumentDevice(await target.requestDevice(desc));
            devices.push(probe);
            return device;
          };
        }
        return passThrough(target, prop);
      },
    });
  const gpu = new Proxy(real, {
    get(target, prop) {
      if (prop === "requestAdapter") {
        return async (options?: GPURequestAdapterOptions) => {
          const adapter = await target.requestAdapter(options);
          return adapter ? wrapAdapter(adapter) : adapter;
        };
      }
      return passThrough(target, prop);
    },
  });
  return { gpu, devices };
}
