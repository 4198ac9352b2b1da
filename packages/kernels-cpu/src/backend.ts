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
  type SoftmaxVariant,
  type StorageArray,
  type StridedView,
  shapeSize,
} from "@nnkit/core";
import { CpuBuffer } from "./buffer/cpu-buffer.js";
import { StoragePool } from "./buffer/pool.js";
import { type CompiledKernel, compileKernel } from "./elementwise/compile.js";
import { interpretKernel } from "./elementwise/interpret.js";
import { KernelCache, layoutsKey } from "./elementwise/kernel-cache.js";
import { type InputLayout, inputLayout, type KernelArgs } from "./elementwise/prepare.js";
import { reduceStorage } from "./reduce/reduce.js";
import { softmaxStorage } from "./reduce/softmax.js";
import { ThreadPool } from "./threads/pool.js";
import { WasmHeap } from "./wasm/heap.js";
import { MATH_PRECISIONS, type MathPrecision } from "./wasm/math/index.js";
import { relaxedSimdAvailable } from "./wasm/relaxed-simd.js";
import { runRows, splitRows } from "./wasm/rows.js";
import { type RowKernel, type WasmKernel, WasmRuntime, wasmSimdAvailable } from "./wasm/runtime.js";

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
   * Bytes of released JavaScript storage kept for reuse by elementwise outputs; 256 MiB by
   * default in "wasm" mode, 0 (no pool) in the others. (Storage in the WebAssembly heap is
   * always reused.)
   */
  readonly poolBytes?: number;
  /**
   * Threads for large SIMD kernels, the calling one included: "auto" (default) uses one per
   * core, 1 never starts workers. Needs the WebAssembly heap (shared memory: always in Node,
   * cross-origin isolated pages in browsers).
   */
  readonly threads?: number | "auto";
  /**
   * Keep array storage in a shared WebAssembly heap where the SIMD kernels work in place (true
   * by default in "wasm" mode; needs SharedArrayBuffer). false keeps JavaScript typed arrays,
   * which SIMD kernels copy through staging, and runs on one thread.
   */
  readonly heap?: boolean;
  /**
   * The vectorised math of the SIMD kernels (exp, expm1, log, log1p, sigmoid, logaddexp, tanh,
   * erf, erfc): "fast" (default) uses nnkit's error-bounded polynomials, which keep every
   * float32 result within 1 ulp of the exact value but may differ from the JavaScript path in
   * the last bit; "reproducible" uses transcriptions of the JavaScript path's algorithms, for
   * the same bits on every path (slower).
   */
  readonly math?: MathPrecision;
}

export type CpuMode = "wasm" | "compiled" | "interpreted";

/** How many elementwise kernels ran on each path (for tests and diagnostics). */
export interface ElementwiseRuns {
  wasm: number;
  /** Of the `wasm` runs, those split across worker threads. */
  threaded: number;
  /** Of the `wasm` runs, those computed in float32 lanes (exactly the float64 result). */
  f32Lanes: number;
  /** Of the `wasm` runs, those over strided inputs with contiguous rows (wasm/rows.ts). */
  rows: number;
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
  /** The SIMD kernels' vectorised math (see `CpuBackendOptions.math`). */
  readonly math: MathPrecision;
  /** Kernel runs per path since construction. */
  readonly elementwiseRuns: ElementwiseRuns = {
    wasm: 0,
    threaded: 0,
    f32Lanes: 0,
    rows: 0,
    compiled: 0,
    interpreted: 0,
  };
  private live = 0;
  private readonly kernels = new KernelCache<CompiledKernel>();
  /** SIMD row kernels (softmax, logSoftmax, softmin), or why they are unavailable. */
  private readonly rowKernels = new Map<SoftmaxVariant, RowKernel | string>();
  /** softmax/logSoftmax/softmin runs per path (JavaScript is the fallback; `threaded` counts wasm runs split across workers). */
  readonly rowRuns = { wasm: 0, threaded: 0, javascript: 0 };
  /** SIMD kernels by the same key; a string records why the expression stays on JavaScript. */
  private readonly wasmKernels = new KernelCache<WasmKernel | string>();
  private wasmRuntime: WasmRuntime | undefined;
  /** Array storage in shared WebAssembly memory ("wasm" mode where SharedArrayBuffer exists). */
  private readonly heap: WasmHeap | undefined;
  private readonly threadPool: ThreadPool | undefined;
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
    const threads = options.threads ?? "auto";
    if (threads !== "auto" && !(Number.isInteger(threads) && threads >= 1)) {
      throw new RangeError(
        `CpuBackend: threads must be "auto" or an integer >= 1; got ${String(threads)}`,
      );
    }
    const math = options.math ?? "fast";
    if (!MATH_PRECISIONS.includes(math)) {
      throw new RangeError(
        `CpuBackend: math must be ${MATH_PRECISIONS.map((m) => `"${m}"`).join(" or ")}; got ${String(math)}`,
      );
    }
    this.math = math;
    this.heap = this.mode === "wasm" && options.heap !== false ? WasmHeap.create() : undefined;
    this.threadPool =
      this.heap !== undefined && threads !== 1
        ? new ThreadPool(this.heap.memory, threads)
        : undefined;
  }

  /**
   * Where array storage lives: "heap" (shared WebAssembly memory, used by the SIMD kernels in
   * place) or "javascript" (typed arrays; SIMD kernels copy through staging).
   */
  get storage(): "heap" | "javascript" {
    return this.heap !== undefined ? "heap" : "javascript";
  }

  /** Bytes the WebAssembly heap holds in live arrays, and has reserved (it never shrinks). */
  get heapBytes(): { used: number; reserved: number } {
    return { used: this.heap?.usedBytes ?? 0, reserved: this.heap?.reservedBytes ?? 0 };
  }

  /**
   * Worker threads running large SIMD kernels (0 until they have started, and wherever threads
   * are unavailable or off).
   */
  get workerThreads(): number {
    return this.threadPool?.workerCount ?? 0;
  }

  /** Why large kernels run on one thread, if they do ("no heap", "one thread requested", …). */
  get singleThreadReason(): string | undefined {
    if (this.threadPool === undefined) {
      return this.heap === undefined ? "no shared WebAssembly heap" : "one thread requested";
    }
    return this.threadPool.brokenReason;
  }

  /** How this backend computes, for people (what `listBackends()` shows). */
  get description(): string {
    if (this.mode !== "wasm") return `${this.mode} JavaScript, float64`;
    const workers = this.workerThreads;
    const threads = workers > 0 ? `${workers + 1} threads` : "1 thread";
    const storage = this.heap !== undefined ? "shared heap" : "JavaScript storage";
    const fma = relaxedSimdAvailable() ? " (relaxed-SIMD multiply-add)" : "";
    const math = this.math === "fast" ? `error-bounded math${fma}` : "reproducible math";
    return `WebAssembly SIMD, ${storage}, ${threads}, float64, ${math}`;
  }

  /** Starts the worker threads now rather than at the first large kernel; resolves when up. */
  async startThreads(): Promise<number> {
    await this.threadPool?.started();
    return this.workerThreads;
  }

  /** Stops the worker threads (large kernels then run on the calling thread). */
  stopThreads(): void {
    this.threadPool?.terminate();
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

  /**
   * Storage for `size` elements with unspecified contents (callers overwrite all of it): in the
   * heap where there is one and room, else JavaScript storage from the pool.
   */
  private allocate(dtype: DType, size: number): StorageArray {
    if (size > 0 && this.heap !== undefined) {
      const data = this.heap.alloc(dtype, size);
      if (data !== undefined) return data;
    }
    return this.pool.take(dtype, size);
  }

  /** Wraps storage; `owned` storage (allocated here, never the caller's) is reused on release. */
  private wrap(dtype: DType, data: StorageArray, owned = true): CpuBuffer {
    this.live++;
    return new CpuBuffer(this.name, dtype, data, () => {
      this.live--;
      if (!owned) return;
      if (this.heap?.owns(data)) this.heap.free(data);
      else this.pool.give(dtype, data);
    });
  }

  private own(buffer: DeviceBuffer): CpuBuffer {
    if (!(buffer instanceof CpuBuffer) || buffer.backend !== this.name) {
      throw new Error(`${this.name}: received a buffer of backend "${buffer.backend}"`);
    }
    return buffer;
  }

  upload(dtype: DType, data: StorageArray): DeviceBuffer {
    if (this.heap !== undefined && data.length > 0) {
      // Copied into the heap once, so every kernel reads it in place.
      const copy = this.heap.alloc(dtype, data.length);
      if (copy !== undefined) {
        copy.set(data);
        return this.wrap(dtype, copy);
      }
    }
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
    const out = this.allocate(expr.outDtype, shapeSize(outShape));
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
    const key = layoutsKey(layouts);
    if (this.mode === "wasm" && this.runSimdRows(expr, args, layouts, outShape)) return;
    if (this.mode === "wasm") {
      let simd = this.wasmKernels.get(expr, key);
      if (simd === undefined) {
        this.wasmRuntime ??= new WasmRuntime(this.heap, this.threadPool, this.math);
        simd = this.wasmRuntime.compile(expr, layouts);
        this.wasmKernels.set(expr, key, simd);
      }
      const run = typeof simd === "string" ? undefined : simd(args);
      if (run !== undefined) {
        this.elementwiseRuns.wasm++;
        if (run.threaded) this.elementwiseRuns.threaded++;
        if (run.f32Lanes) this.elementwiseRuns.f32Lanes++;
        return;
      }
      if (!this.canCompileJs) {
        this.elementwiseRuns.interpreted++;
        interpretKernel(expr, args);
        return;
      }
    }
    this.elementwiseRuns.compiled++;
    let kernel = this.kernels.get(expr, key);
    if (!kernel) {
      kernel = compileKernel(expr, layouts);
      this.kernels.set(expr, key, kernel);
    }
    kernel(args);
  }

  /** Strided inputs with contiguous rows: the SIMD kernel over rows (see wasm/rows.ts). */
  private runSimdRows(
    expr: FusedExpr,
    args: KernelArgs,
    layouts: readonly InputLayout[],
    outShape: Shape,
  ): boolean {
    if (this.heap === undefined) return false;
    const split = splitRows(layouts, args.strides, outShape);
    if (split === undefined) return false;
    const key = layoutsKey(split.layouts, "rows:");
    let simd = this.wasmKernels.get(expr, key);
    if (simd === undefined) {
      this.wasmRuntime ??= new WasmRuntime(this.heap, this.threadPool, this.math);
      simd = this.wasmRuntime.compile(expr, split.layouts);
      this.wasmKernels.set(expr, key, simd);
    }
    if (typeof simd === "string") return false;
    const kernel = simd;
    // In the heap: the module's row loop, one call (split by rows across the threads).
    const all = kernel.rows(args, split);
    if (all !== undefined) {
      this.elementwiseRuns.wasm++;
      this.elementwiseRuns.rows++;
      if (all.threaded) this.elementwiseRuns.threaded++;
      if (all.f32Lanes) this.elementwiseRuns.f32Lanes++;
      return true;
    }
    // Else row by row (staged). Every row has the same scalars: a call runs all rows or none.
    let f32Lanes = false;
    let ran = true;
    runRows(split, args, (rowArgs) => {
      if (!ran) return;
      const run = kernel(rowArgs);
      if (run === undefined) ran = false;
      else f32Lanes = run.f32Lanes;
    });
    if (!ran) return false;
    this.elementwiseRuns.wasm++;
    this.elementwiseRuns.rows++;
    if (f32Lanes) this.elementwiseRuns.f32Lanes++;
    return true;
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
    const out = this.allocate(outDtype, outSize);
    reduceStorage(op, src.data, src.dtype, input.offset, input.strides, shape, axes, out, outDtype);
    return this.wrap(outDtype, out);
  }

  softmax(
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    variant: SoftmaxVariant,
    outDtype: DType,
  ): DeviceBuffer {
    const src = this.own(input.buffer);
    const simd = this.simdSoftmax(src, input, shape, axes, variant, outDtype);
    if (simd !== undefined) return simd;
    this.rowRuns.javascript++;
    const out = this.allocate(outDtype, shapeSize(shape));
    softmaxStorage(
      src.data,
      src.dtype,
      input.offset,
      input.strides,
      shape,
      axes,
      variant,
      out,
      outDtype,
    );
    return this.wrap(outDtype, out);
  }

  /**
   * The SIMD softmax, where it applies: float32 in and out, the input contiguous in the heap and
   * the axes the trailing ones (so rows are contiguous). Same bits as softmaxStorage.
   */
  private simdSoftmax(
    src: CpuBuffer,
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    variant: SoftmaxVariant,
    outDtype: DType,
  ): DeviceBuffer | undefined {
    const size = shapeSize(shape);
    if (this.mode !== "wasm" || this.heap === undefined || size === 0) return undefined;
    if (src.dtype !== "float32" || outDtype !== "float32" || !this.heap.owns(src.data)) {
      return undefined;
    }
    const first = shape.length - axes.length;
    if (!axes.every((a, i) => a === first + i)) return undefined;
    const c = contiguousStrides(shape);
    if (!shape.every((d, i) => d <= 1 || input.strides[i] === c[i])) return undefined;
    let kernel = this.rowKernels.get(variant);
    if (kernel === undefined) {
      this.wasmRuntime ??= new WasmRuntime(this.heap, this.threadPool, this.math);
      kernel = this.wasmRuntime.compileSoftmax(variant);
      this.rowKernels.set(variant, kernel);
    }
    if (typeof kernel === "string") return undefined;
    const out = this.heap.alloc("float32", size);
    if (out === undefined) return undefined;
    const n = shapeSize(shape.slice(first));
    const inPtr = src.data.byteOffset + input.offset * 4;
    this.rowRuns.wasm++;
    if (kernel(inPtr, out.byteOffset, size / n, n)) this.rowRuns.threaded++;
    return this.wrap("float32", out);
  }

  concatenate(
    inputs: readonly StridedView[],
    shapes: readonly Shape[],
    axis: number,
    outShape: Shape,
    dtype: DType,
  ): DeviceBuffer {
    const out = this.allocate(dtype, shapeSize(outShape));
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
