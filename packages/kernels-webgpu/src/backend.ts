import {
  type Backend,
  type DeviceBuffer,
  type DType,
  type FusedExpr,
  NnkitError,
  type ReduceOp,
  type Shape,
  type SoftmaxVariant,
  type StorageArray,
  type StridedView,
  shapeSize,
} from "@nnkit/core";
import { type AcquireOptions, acquireDevice } from "./device/acquire.js";
import { WebGPUBuffer } from "./gpu/buffer.js";
import { GpuContext, type KernelLimits } from "./gpu/context.js";
import { byteSize, fromGpuBytes, gpuStorage, toGpuBytes } from "./gpu/dtypes.js";
import { BufferPool } from "./gpu/pool.js";
import { encodeConcatenate } from "./kernels/concatenate.js";
import { encodeElementwise } from "./kernels/elementwise.js";
import { encodeRandomBits } from "./kernels/random.js";
import { encodeReduce } from "./kernels/reduce.js";
import { encodeSoftmax } from "./kernels/softmax.js";
import type { GpuView } from "./kernels/types.js";

export interface WebGPUBackendOptions extends AcquireOptions {
  /** Registry name; "webgpu" by default. */
  readonly name?: string;
  /**
   * Plan dispatches as if the device had these (smaller) limits: lets tests exercise chunked
   * and 2-D dispatch on any GPU. Values above the device's own limits are ignored.
   */
  readonly kernelLimits?: Partial<KernelLimits>;
  /** After a device loss, acquire a new device for further work instead of failing (default false). */
  readonly recreateOnLoss?: boolean;
  /** Bytes of freed buffers kept for reuse (default 256 MiB). */
  readonly maxPooledBytes?: number;
}

/** Details of a lost device, as reported by the `devicelost` event and `listBackends()`. */
export interface DeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}

/**
 * nnkit's WebGPU backend. Arrays live in GPU storage buffers; fused elementwise expressions are
 * compiled to WGSL once per structure and dtypes; reductions and softmax use workgroup
 * reductions. Reads are asynchronous only (`await x.data()`).
 */
export class WebGPUBackend extends EventTarget implements Backend {
  readonly name: string;
  readonly canReadSync = false;
  private ctx: GpuContext;
  private pool: BufferPool;
  private live = 0;
  private lostInfo: DeviceLostInfo | undefined;
  private generation = 0;
  /** The device generation each live buffer was allocated on (older ones are unusable). */
  private readonly bufferGeneration = new WeakMap<WebGPUBuffer, number>();
  private recovering: Promise<void> | undefined;

  private constructor(
    private readonly options: WebGPUBackendOptions,
    acquired: Awaited<ReturnType<typeof acquireDevice>>,
    /** Human-readable adapter description. */
    public adapterDescription: string,
  ) {
    super();
    this.name = options.name ?? "webgpu";
    this.ctx = this.makeContext(acquired.device, acquired.hasF16);
    this.pool = this.makePool(acquired.device);
    this.watchLoss(acquired.device);
  }

  /** Acquires an adapter and device and returns a ready backend. */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
    const acquired = await acquireDevice(options);
    return new WebGPUBackend(options, acquired, acquired.description);
  }

  private makeContext(device: GPUDevice, hasF16: boolean): GpuContext {
    const own = device.limits;
    const wanted = this.options.kernelLimits ?? {};
    const limits: KernelLimits = {
      maxStorageBufferBindingSize: Math.min(
        own.maxStorageBufferBindingSize,
        wanted.maxStorageBufferBindingSize ?? Number.POSITIVE_INFINITY,
      ),
      maxComputeWorkgroupsPerDimension: Math.min(
        own.maxComputeWorkgroupsPerDimension,
        wanted.maxComputeWorkgroupsPerDimension ?? Number.POSITIVE_INFINITY,
      ),
      minStorageBufferOffsetAlignment: own.minStorageBufferOffsetAlignment,
    };
    return new GpuContext(device, hasF16, limits, this.options.name ?? "webgpu");
  }

  private makePool(device: GPUDevice): BufferPool {
    // GPUBufferUsage exists only once a WebGPU implementation is loaded, so read it here.
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    return new BufferPool(device, usage, this.options.maxPooledBytes ?? 256 * 2 ** 20, (b) =>
      this.ctx.enqueue(() => b.destroy()),
    );
  }

  private watchLoss(device: GPUDevice): void {
    const generation = this.generation;
    device.lost.then((info) => {
      if (generation !== this.generation || info.reason === "destroyed") return;
      this.lostInfo = { reason: info.reason, message: info.message };
      this.dispatchEvent(new CustomEvent("devicelost", { detail: this.lostInfo }));
      // Opted in: acquire a new device now; a failure stays visible through `failure`.
      if (this.options.recreateOnLoss) this.recover().catch(() => {});
    });
  }

  /** Why the device was lost, if it was (also shown by `listBackends()`). */
  get failure(): string | undefined {
    return this.lostInfo
      ? `device lost (${this.lostInfo.reason}): ${this.lostInfo.message}`
      : undefined;
  }

  /** The adapter, for people: what `listBackends()` shows as this backend's description. */
  get description(): string {
    return this.adapterDescription;
  }

  /** Whether the device has `shader-f16` (float16 arrays are available). */
  get supportsFloat16(): boolean {
    return this.ctx.hasF16;
  }

  /** The dtypes this device holds: float16 only with `shader-f16`; never bfloat16 (WGSL has none). */
  get dtypes(): readonly DType[] {
    const always: DType[] = ["float32", "int32", "uint32", "bool"];
    return this.ctx.hasF16 ? [...always, "float16"] : always;
  }

  get device(): GPUDevice {
    return this.ctx.device;
  }

  /** Number of compiled pipelines (one per kernel structure and dtypes). */
  get pipelineCount(): number {
    return this.ctx.pipelineCount;
  }

  /**
   * Re-acquires a device after a loss (started automatically with `recreateOnLoss`; calling it
   * then waits for that attempt). Arrays computed before stay invalid: using them throws.
   */
  recover(): Promise<void> {
    this.recovering ??= this.reacquire().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async reacquire(): Promise<void> {
    let acquired: Awaited<ReturnType<typeof acquireDevice>>;
    try {
      acquired = await acquireDevice(this.options);
    } catch (e) {
      if (this.lostInfo) {
        const why = e instanceof Error ? e.message : String(e);
        this.lostInfo = {
          ...this.lostInfo,
          message: `${this.lostInfo.message}; re-creating the device failed: ${why}`,
        };
      }
      throw e;
    }
    this.generation++;
    this.ctx = this.makeContext(acquired.device, acquired.hasF16);
    this.pool = this.makePool(acquired.device);
    this.adapterDescription = acquired.description;
    this.lostInfo = undefined;
    this.watchLoss(acquired.device);
  }

  private checkUsable(fn: string): void {
    if (!this.lostInfo) return;
    const lost = `the ${this.name} device was lost (${this.lostInfo.reason}: ${this.lostInfo.message})`;
    if (this.recovering) {
      throw new NnkitError(
        fn,
        `${lost}; a new device is being created: await backend.recover() before more work`,
      );
    }
    throw new NnkitError(
      fn,
      `${lost}; await backend.recover() for a new device (arrays from the lost one are gone)`,
    );
  }

  liveBuffers(): number {
    return this.live;
  }

  /** Destroys pooled (free) buffers now. */
  trimPool(): void {
    this.pool.trim();
  }

  private allocate(fn: string, dtype: DType, size: number): WebGPUBuffer {
    this.checkUsable(fn);
    const storage = gpuStorage(fn, dtype, this.ctx.hasF16);
    const bytes = byteSize(storage, size);
    if (bytes > this.ctx.device.limits.maxBufferSize) {
      throw new NnkitError(
        fn,
        `an array of ${size} ${dtype} elements (${bytes} bytes) exceeds this device's maxBufferSize (${this.ctx.device.limits.maxBufferSize})`,
      );
    }
    const pool = this.pool;
    const gpu = pool.acquire(bytes);
    const generation = this.generation;
    this.live++;
    const out = new WebGPUBuffer(this.name, dtype, size, gpu, (b) => {
      this.live--;
      if (generation === this.generation) pool.release(b.gpu);
    });
    this.bufferGeneration.set(out, generation);
    return out;
  }

  private own(buffer: DeviceBuffer, fn = "evaluate"): WebGPUBuffer {
    if (!(buffer instanceof WebGPUBuffer) || buffer.backend !== this.name) {
      throw new Error(`${this.name}: received a buffer of backend "${buffer.backend}"`);
    }
    this.checkUsable(fn);
    if (this.bufferGeneration.get(buffer) !== this.generation) {
      // Binding it to the new device would fail silently on the GPU: refuse it here.
      throw new NnkitError(
        fn,
        `this array was computed on a ${this.name} device that has since been lost and replaced; recompute it from host data`,
      );
    }
    return buffer;
  }

  private view(v: StridedView): GpuView {
    return { buffer: this.own(v.buffer), offset: v.offset, strides: v.strides };
  }

  upload(dtype: DType, data: StorageArray): DeviceBuffer {
    const out = this.allocate("array", dtype, data.length);
    const bytes = toGpuBytes(dtype, data);
    const ctx = this.ctx;
    ctx.enqueue(() => {
      // writeBuffer needs a multiple of 4 bytes; float16 of odd length is padded.
      const padded = bytes.byteLength % 4 === 0 ? bytes : padTo4(bytes);
      ctx.device.queue.writeBuffer(out.gpu, 0, padded as ArrayBufferView<ArrayBuffer>);
    });
    return out;
  }

  async read(buffer: DeviceBuffer): Promise<StorageArray> {
    const b = this.own(buffer, "data");
    const ctx = this.ctx;
    const storage = gpuStorage("data", b.dtype, ctx.hasF16);
    const bytes = byteSize(storage, b.size);
    let staging: GPUBuffer | undefined;
    ctx.enqueue(() => {
      staging = ctx.device.createBuffer({
        size: bytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const encoder = ctx.device.createCommandEncoder();
      encoder.copyBufferToBuffer(b.gpu, 0, staging, 0, bytes);
      ctx.device.queue.submit([encoder.finish()]);
    });
    await ctx.flush();
    const s = staging as GPUBuffer;
    try {
      await s.mapAsync(GPUMapMode.READ);
      return fromGpuBytes(b.dtype, s.getMappedRange().slice(0), b.size);
    } catch (e) {
      // A lost device fails the map; its lost promise may settle just after: give it a moment
      // so the error says why (watchLoss's handler runs first, setting lostInfo).
      await Promise.race([ctx.device.lost, new Promise((r) => setTimeout(r, 50))]);
      this.checkUsable("data");
      throw e;
    } finally {
      s.destroy();
    }
  }

  readSync(): StorageArray {
    throw new NnkitError(
      "dataSync",
      `the ${this.name} backend cannot read synchronously; use await x.data()`,
    );
  }

  elementwise(
    expr: FusedExpr,
    inputs: readonly StridedView[],
    scalars: readonly number[],
    outShape: Shape,
  ): DeviceBuffer {
    const views = inputs.map((v) => this.view(v));
    const out = this.allocate("evaluate", expr.outDtype, shapeSize(outShape));
    encodeElementwise(this.ctx, expr, views, scalars, outShape, out);
    return out;
  }

  reduce(
    op: ReduceOp,
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    outDtype: DType,
  ): DeviceBuffer {
    const outSize = shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);
    const view = this.view(input);
    const out = this.allocate(op, outDtype, outSize);
    encodeReduce(this.ctx, op, view, shape, axes, out);
    return out;
  }

  softmax(
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    variant: SoftmaxVariant,
    outDtype: DType,
  ): DeviceBuffer {
    const view = this.view(input);
    const out = this.allocate(variant, outDtype, shapeSize(shape));
    encodeSoftmax(this.ctx, view, shape, axes, variant, out);
    return out;
  }

  concatenate(
    inputs: readonly StridedView[],
    shapes: readonly Shape[],
    axis: number,
    outShape: Shape,
    dtype: DType,
  ): DeviceBuffer {
    const views = inputs.map((v) => this.view(v));
    const out = this.allocate("concatenate", dtype, shapeSize(outShape));
    encodeConcatenate(this.ctx, views, shapes, axis, outShape, out);
    return out;
  }

  randomBits(key: StridedView, count: number): DeviceBuffer {
    const view = this.view(key);
    const out = this.allocate("random", "uint32", count);
    encodeRandomBits(this.ctx, view, out);
    return out;
  }
}

function padTo4(bytes: ArrayBufferView): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  out.set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return out;
}
