import {
  allocateStorage,
  type Backend,
  contiguousStrides,
  type DeviceBuffer,
  type DType,
  type FusedExpr,
  type ReduceOp,
  randomBits,
  type Shape,
  type StorageArray,
  type StridedView,
  shapeSize,
} from "@nnkit/core";
import { CpuBuffer } from "./buffer/cpu-buffer.js";
import { StoragePool } from "./buffer/pool.js";
import { type CompiledKernel, compileKernel } from "./elementwise/compile.js";
import { interpretKernel } from "./elementwise/interpret.js";
import { inputLayout, type KernelArgs } from "./elementwise/prepare.js";
import { reduceStorage } from "./reduce/reduce.js";
import { softmaxStorage } from "./reduce/softmax.js";
import { type WasmKernel, WasmRuntime, wasmSimdAvailable } from "./wasm/runtime.js";

export interface CpuBackendOptions {
  /** Registry name; "cpu" by default. */
  readonly name?: string;
  /**
   * "wasm" runs the fused expressions it supports as WebAssembly SIMD kernels and the rest as
   * compiled JavaScript (same answers, bit for bit); "compiled" generates a JavaScript loop per
   * fused expression; "interpreted" never generates code (for Content Security Policies without
   * 'unsafe-eval'); "auto" (default) picks the first of these the environment allows.
   */
  readonly mode?: "auto" | CpuMode;
  /**
   * Bytes of released storage kept for reuse by elementwise outputs; 256 MiB by default in
   * "wasm" mode, 0 (no pool) in the others.
   */
  readonly poolBytes?: number;
}

export type CpuMode = "wasm" | "compiled" | "interpreted";

/** How many elementwise kernels ran on each path (for tests and diagnostics). */
export interface ElementwiseRuns {
  wasm: number;
  compiled: number;
  interpreted: number;
}

function canGenerateCode(): boolean {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}

/**
 * nnkit's CPU backend: typed arrays in JavaScript memory; fused elementwise expressions are
 * evaluated in float64 and rounded once to the output dtype.
 */
export class CpuBackend implements Backend {
  readonly name: string;
  readonly canReadSync = true;
  readonly mode: CpuMode;
  /** Kernel runs per path since construction. */
  readonly elementwiseRuns: ElementwiseRuns = { wasm: 0, compiled: 0, interpreted: 0 };
  private live = 0;
  private readonly kernels = new Map<string, CompiledKernel>();
  /** SIMD kernels by the same key; a string records why the expression stays on JavaScript. */
  private readonly wasmKernels = new Map<string, WasmKernel | string>();
  private wasmRuntime: WasmRuntime | undefined;
  private readonly pool: StoragePool;
  /** Whether `new Function` works: the fallback of "wasm" mode is the interpreter otherwise. */
  private readonly canCompileJs: boolean;

  constructor(options: CpuBackendOptions = {}) {
    this.name = options.name ?? "cpu";
    const mode = options.mode ?? "auto";
    this.canCompileJs = mode === "interpreted" ? false : canGenerateCode();
    const js = this.canCompileJs;
    if (mode === "auto") {
      this.mode = js && wasmSimdAvailable() ? "wasm" : js ? "compiled" : "interpreted";
    } else if (mode === "wasm" && !wasmSimdAvailable()) {
      this.mode = js ? "compiled" : "interpreted";
    } else {
      this.mode = mode;
    }
    this.pool = new StoragePool(options.poolBytes ?? (this.mode === "wasm" ? 256 * 2 ** 20 : 0));
  }

  /** Bytes of released storage held for reuse. */
  get pooledBytes(): number {
    return this.pool.pooledBytes;
  }

  /** Drops the storage held for reuse (to the garbage collector). */
  clearPool(): void {
    this.pool.clear();
  }

  /** The WebAssembly staging memory's size in bytes (0 before the first SIMD kernel runs). */
  get wasmMemoryBytes(): number {
    return this.wasmRuntime?.memoryBytes ?? 0;
  }

  /** Why each expression (structure + layouts) that stayed on JavaScript in "wasm" mode did. */
  wasmFallbackReasons(): string[] {
    return [...this.wasmKernels.values()].filter((v): v is string => typeof v === "string");
  }

  /** Number of distinct compiled kernels (one per expression structure, dtypes and layout). */
  get compiledKernelCount(): number {
    return this.kernels.size;
  }

  liveBuffers(): number {
    return this.live;
  }

  /** Wraps storage; `owned` storage (allocated here, never the caller's) returns to the pool. */
  private wrap(dtype: DType, data: StorageArray, owned = true): CpuBuffer {
    this.live++;
    return new CpuBuffer(this.name, dtype, data, () => {
      this.live--;
      if (owned) this.pool.give(dtype, data);
    });
  }

  private own(buffer: DeviceBuffer): CpuBuffer {
    if (!(buffer instanceof CpuBuffer) || buffer.backend !== this.name) {
      throw new Error(`${this.name}: received a buffer of backend "${buffer.backend}"`);
    }
    return buffer;
  }

  upload(dtype: DType, data: StorageArray): DeviceBuffer {
    return this.wrap(dtype, data, false);
  }

  readSync(buffer: DeviceBuffer): StorageArray {
    return this.own(buffer).data.slice();
  }

  async read(buffer: DeviceBuffer): Promise<StorageArray> {
    return this.readSync(buffer);
  }

  elementwise(
    expr: FusedExpr,
    inputs: readonly StridedView[],
    scalars: readonly number[],
    outShape: Shape,
  ): DeviceBuffer {
    // Every kernel path writes every output element, so pooled storage needs no clearing.
    const out = this.pool.take(expr.outDtype, shapeSize(outShape));
    const args: KernelArgs = {
      out,
      inputs: inputs.map((v) => this.own(v.buffer).data),
      offsets: inputs.map((v) => v.offset),
      strides: inputs.map((v) => v.strides),
      shape: outShape,
      scalars,
    };
    if (out.length > 0) this.runKernel(expr, args, inputs, outShape);
    return this.wrap(expr.outDtype, out);
  }

  /** SIMD first in "wasm" mode; else compiled JavaScript where allowed; else the interpreter. */
  private runKernel(
    expr: FusedExpr,
    args: KernelArgs,
    inputs: readonly StridedView[],
    outShape: Shape,
  ): void {
    if (this.mode === "interpreted") {
      this.elementwiseRuns.interpreted++;
      interpretKernel(expr, args);
      return;
    }
    const layouts = inputs.map((v) => inputLayout(v.strides, outShape));
    const key = `${expr.key}|${layouts.join(",")}`;
    if (this.mode === "wasm") {
      let simd = this.wasmKernels.get(key);
      if (simd === undefined) {
        this.wasmRuntime ??= new WasmRuntime();
        simd = this.wasmRuntime.compile(expr, layouts);
        this.wasmKernels.set(key, simd);
      }
      if (typeof simd !== "string") {
        this.elementwiseRuns.wasm++;
        simd(args);
        return;
      }
      if (!this.canCompileJs) {
        this.elementwiseRuns.interpreted++;
        interpretKernel(expr, args);
        return;
      }
    }
    this.elementwiseRuns.compiled++;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      kernel = compileKernel(expr, layouts);
      this.kernels.set(key, kernel);
    }
    kernel(args);
  }

  reduce(
    op: ReduceOp,
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    outDtype: DType,
  ): DeviceBuffer {
    const src = this.own(input.buffer);
    const outSize = shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);
    const out = allocateStorage(outDtype, outSize);
    reduceStorage(op, src.data, src.dtype, input.offset, input.strides, shape, axes, out, outDtype);
    return this.wrap(outDtype, out);
  }

  softmax(
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    log: boolean,
    outDtype: DType,
  ): DeviceBuffer {
    const src = this.own(input.buffer);
    const out = allocateStorage(outDtype, shapeSize(shape));
    softmaxStorage(
      src.data,
      src.dtype,
      input.offset,
      input.strides,
      shape,
      axes,
      log,
      out,
      outDtype,
    );
    return this.wrap(outDtype, out);
  }

  concatenate(
    inputs: readonly StridedView[],
    shapes: readonly Shape[],
    axis: number,
    outShape: Shape,
    dtype: DType,
  ): DeviceBuffer {
    const out = allocateStorage(dtype, shapeSize(outShape));
    const innerSize = shapeSize(outShape.slice(axis + 1));
    const outer = shapeSize(outShape.slice(0, axis));
    const outBlock = (outShape[axis] as number) * innerSize;
    let prefix = 0;
    inputs.forEach((view, i) => {
      const shape = shapes[i] as Shape;
      const src = this.contiguousData(view, shape, dtype);
      const block = (shape[axis] as number) * innerSize;
      for (let o = 0; o < outer; o++) {
        const from = o * block;
        const to = o * outBlock + prefix * innerSize;
        for (let j = 0; j < block; j++) out[to + j] = src[from + j] as number;
      }
      prefix += shape[axis] as number;
    });
    return this.wrap(dtype, out);
  }

  /** A view's elements in row-major order, copying only when the view is not already so. */
  private contiguousData(view: StridedView, shape: Shape, dtype: DType): StorageArray {
    const src = this.own(view.buffer);
    const size = shapeSize(shape);
    const c = contiguousStrides(shape);
    if (shape.every((d, i) => d <= 1 || view.strides[i] === c[i])) {
      return src.data.subarray(view.offset, view.offset + size);
    }
    const copy = allocateStorage(dtype, size);
    const args: KernelArgs = {
      out: copy,
      inputs: [src.data],
      offsets: [view.offset],
      strides: [view.strides],
      shape,
      scalars: [],
    };
    // Raw storage copy: identity on the stored bits, so no decode/encode is needed.
    interpretKernel(
      {
        nodes: [{ kind: "input", index: 0, dtype: "uint32" }],
        inputDtypes: ["uint32"],
        scalarCount: 0,
        outDtype: "uint32",
        key: "copy",
      },
      args,
    );
    return copy;
  }

  randomBits(key: StridedView, count: number): DeviceBuffer {
    const k = this.own(key.buffer).data;
    const words = [k[key.offset] as number, k[key.offset + (key.strides[0] ?? 1)] as number];
    return this.wrap("uint32", randomBits(words, count));
  }
}
