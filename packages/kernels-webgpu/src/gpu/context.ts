import { NnkitError } from "@nnkit/core";

/** The limits kernels plan their dispatches against (possibly lowered on purpose for tests). */
export interface KernelLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly minStorageBufferOffsetAlignment: number;
}

/**
 * Everything a kernel needs from the device: the device, its features and limits, a pipeline
 * cache, and one ordered stream of work.
 *
 * The stream exists because pipelines are compiled with `createComputePipelineAsync` while
 * core's Backend methods are synchronous: each method enqueues its encoding step here, and
 * steps run strictly in order (uploads included), so a buffer recycled by the pool is never
 * written before earlier work that reads it has been submitted.
 */
export class GpuContext {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    readonly device: GPUDevice,
    readonly hasF16: boolean,
    readonly limits: KernelLimits,
    /** Name used in error messages. */
    readonly backendName: string,
  ) {}

  /** A compute pipeline for `code` (entry point `main`), compiled once per `key`. */
  pipeline(key: string, code: () => string): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: code() });
      p = this.device.createComputePipelineAsync({
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.pipelines.set(key, p);
    }
    return p;
  }

  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /**
   * Appends a step to the ordered stream. A failed step fails the next read; so does a GPU
   * validation or out-of-memory error raised by what the step recorded: each step runs inside
   * its own error scopes, whose results are collected without waiting (no round trip per op)
   * and checked by `flush`.
   */
  enqueue(step: () => void | Promise<void>): void {
    this.tail = this.tail.then(async () => {
      if (this.failure !== undefined) return;
      const device = this.device;
      device.pushErrorScope("out-of-memory");
      device.pushErrorScope("validation");
      try {
        await step();
      } catch (e) {
        this.failure = e;
      } finally {
        const validation = device.popErrorScope();
        const outOfMemory = device.popErrorScope();
        const earlier = this.gpuError;
        this.gpuError = Promise.all([earlier, validation, outOfMemory]).then(
          ([a, b, c]) => a ?? b ?? c,
          (e: unknown) => ({ message: `error scope failed: ${String(e)}` }) as GPUError,
        );
      }
    });
  }

  /** First GPU error reported by a step's error scopes since the last flush, or null. */
  private gpuError: Promise<GPUError | null> = Promise.resolve(null);

  /** Resolves when every enqueued step has run; rethrows the first failure. */
  async flush(): Promise<void> {
    await this.tail;
    const gpuError = await this.gpuError;
    this.gpuError = Promise.resolve(null);
    if (this.failure === undefined && gpuError !== null) {
      // Checked by name: the GPU*Error classes are globals only where WebGPU is installed.
      const kind =
        gpuError.constructor?.name === "GPUOutOfMemoryError" ? "out-of-memory" : "validation";
      this.failure = new NnkitError(
        this.backendName,
        `the GPU reported a ${kind} error: ${gpuError.message}`,
      );
    }
    if (this.failure !== undefined) {
      const e = this.failure;
      this.failure = undefined;
      throw e instanceof Error ? e : new NnkitError(this.backendName, String(e));
    }
  }

  /** A uniform buffer holding `data`, destroyed after the current submission completes. */
  uniform(data: ArrayBuffer | ArrayBufferView): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    const buffer = this.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.device.queue.writeBuffer(buffer, 0, data as ArrayBuffer);
    this.device.queue.onSubmittedWorkDone().then(() => buffer.destroy());
    return buffer;
  }

  /**
   * Records one dispatch of `pipeline` with `buffers` bound at bindings 0..n-1 of group 0 and
   * `workgroups` workgroups, laid out on a 2-D grid when one dimension is not enough. The
   * shader receives the grid width through `gridWidth` (see wgsl/grid.ts).
   */
  dispatch(
    pipeline: GPUComputePipeline,
    bindings: readonly GPUBindingResource[],
    workgroups: number,
  ): void {
    const entries = bindings.map((resource, binding) => ({ binding, resource }));
    const group = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const [x, y] = gridFor(workgroups, this.limits.maxComputeWorkgroupsPerDimension);
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    if (x > 0) pass.dispatchWorkgroups(x, y);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }
}

/** Splits `n` workgroups into an x×y grid with x ≤ maxPerDim (x·y ≥ n; extra groups exit early). */
export function gridFor(n: number, maxPerDim: number): [number, number] {
  if (n <= maxPerDim) return [n, 1];
  const y = Math.ceil(n / maxPerDim);
  if (y > maxPerDim)
    throw new Error(`dispatch of ${n} workgroups exceeds ${maxPerDim}² workgroups`);
  return [Math.ceil(n / y), y];
}
