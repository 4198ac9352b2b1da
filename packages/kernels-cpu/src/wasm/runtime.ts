import type { ExprNode, FusedExpr, SoftmaxVariant, StorageArray } from "@nnkit/core";
import type { InputLayout, KernelArgs } from "../elementwise/prepare.js";
import type { SliceableKernel, ThreadPool } from "../threads/pool.js";
import { type WasmApi, type WasmMemory, wasmApi } from "./api.js";
import { compileF32Module } from "./compile-f32.js";
import { compileSimdModule } from "./compile-simd.js";
import { compileSoftmaxModule, SOFTMAX_PARAMS, softmaxSlotBytes } from "./compile-softmax.js";
import { PLAIN_MEMORY } from "./encoder.js";
import { f32Plan, scalarsFitF32 } from "./f32-exact.js";
import type { WasmHeap } from "./heap.js";
import { KERNEL_EXPORT, ROWS_EXPORT, rowsParams } from "./kernel-frame.js";
import { MATH_BINARY, MATH_UNARY, type MathPrecision } from "./math/index.js";
import type { RowSplit } from "./rows.js";
import {
  classifyScalars,
  MAX_CODED_SCALARS,
  type ScalarClass,
  scalarClassCode,
  specialisedScalars,
} from "./scalar-classes.js";
import { CHUNK, CHUNK_BYTES, Staging } from "./staging.js";
import { isInt32OfBool, simdUnsupportedReason } from "./support.js";

export { CHUNK } from "./staging.js";

/**
 * Chrome (114 and later) refuses synchronous compilation of larger modules on a page's main
 * thread; elsewhere (Node, workers) there is no such limit. Older Chrome's limit is 4 KiB: its
 * RangeError is caught like any compile failure, and the expression runs in JavaScript.
 */
const MAX_SYNC_MODULE_BYTES_MAIN_THREAD = 8 * 2 ** 20;

/**
 * Work below which a kernel stays on the calling thread: waking the workers costs tens of
 * microseconds. Work is elements × the expression's cost (1 per cheap node, more for calls into
 * the vectorised math).
 */
export const THREAD_MIN_WORK = 2 ** 22;
/**
 * A rough cost per element, for deciding whether threads pay off: a call into the vectorised
 * math counts 64, a division or square root 4, every other node 1 (measured on x86-64: relu
 * in float32 lanes ≈ 0.3 ns an element on one thread, sigmoid ≈ 7 ns).
 */
export function exprCost(expr: FusedExpr): number {
  const cost = (n: ExprNode) => {
    if (n.kind === "unary" && MATH_UNARY.has(n.op)) return 64;
    if (n.kind === "binary" && MATH_BINARY.has(n.op)) return 64;
    if ((n.kind === "unary" && n.op === "sqrt") || (n.kind === "binary" && n.op === "divide")) {
      return 4;
    }
    return 1;
  };
  return expr.nodes.reduce((sum, n) => sum + cost(n), 0);
}

/** A compiled module's kernel function and its id in the thread pool. */
interface Instantiated {
  readonly run: (...args: number[]) => void;
  readonly poolId: number | undefined;
  readonly lanes: "f64" | "f32";
  /** The module's row loop (kernel-frame.ts), and its pool id once first split by rows. */
  readonly rows: (...args: number[]) => void;
  readonly module: object;
  rowsPoolId?: number;
}

/** An expression's kernels for one class of clamp scalars (either may be missing). */
interface Variant {
  readonly f64: Instantiated | undefined;
  readonly f32: Instantiated | undefined;
}

/** How one SIMD kernel call ran. */
export interface WasmRun {
  /** Split across worker threads. */
  readonly threaded: boolean;
  /** float32 lanes (see f32-exact.ts) rather than float64 lanes. */
  readonly f32Lanes: boolean;
}

/**
 * A SIMD kernel bound to the runtime's memory; runs one expression over KernelArgs, or returns
 * undefined when this call cannot run there (an int32 output whose scalars are not float32
 * values): the caller then computes it in JavaScript.
 */
export interface WasmKernel {
  (args: KernelArgs): WasmRun | undefined;
  /**
   * The same kernel over rows (`split`, rows.ts) in one call, split across the threads by
   * rows; undefined where it cannot run (inputs outside the heap, a scalar it does not cover).
   */
  readonly rows: (args: KernelArgs, split: RowSplit) => WasmRun | undefined;
}

/**
 * A row kernel over `rows` contiguous float32 rows of `n` elements at byte addresses `inPtr`
 * and `outPtr` of the heap; says whether the rows were split across worker threads.
 */
export type RowKernel = (inPtr: number, outPtr: number, rows: number, n: number) => boolean;

/** Softmax's cost per element for the threading threshold: two calls into exp. */
const SOFTMAX_COST = 128;

/**
 * The largest scratch slot softmax takes per thread (rows up to 8,192 elements): longer rows,
 * rare and costly anyway, compute their exps twice rather than hold that much per thread.
 */
const SOFTMAX_SLOT_MAX = 64 * 1024;

/** A minimal module using the SIMD instructions the kernels need (promote, demote, f64x2.max). */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x1a, 0x01, 0x18, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00,
  0x80, 0x3f, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x80, 0x3f, 0xfd, 0x5f, 0xfd, 0x5e, 0x0b,
]);

/** Whether this environment runs WebAssembly SIMD128 (and, under a CSP, may compile it). */
export function wasmSimdAvailable(): boolean {
  try {
    const api = wasmApi();
    if (api === undefined || !api.validate(PROBE)) return false;
    new api.Instance(new api.Module(PROBE));
    return true;
  } catch {
    return false;
  }
}

/** Whether this is a page's main thread (where synchronous compilation is size-limited). */
function onPageMainThread(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== "undefined";
}

/**
 * The WebAssembly side of the CPU backend. With a shared heap (`WasmHeap`), array storage lives
 * in the kernels' own memory: a call passes pointers, with no copies, and large calls are split
 * across the thread pool. Without one (no SharedArrayBuffer, e.g. a page that is not
 * cross-origin isolated), or for inputs that live outside the heap, inputs are staged: copied
 * into the memory CHUNK elements at a time, the kernel runs over the chunk, and the result is
 * copied out.
 */
export class WasmRuntime {
  private readonly api: WasmApi;
  readonly memory: WasmMemory;
  private readonly staging: Staging;

  constructor(
    private readonly heap?: WasmHeap,
    private readonly pool?: ThreadPool,
    /** Which vectorised math the kernels use (see `MathLibrary`). */
    private readonly precision: MathPrecision = "fast",
  ) {
    const api = wasmApi();
    if (api === undefined) throw new Error("WebAssembly is not available");
    this.api = api;
    this.memory = heap?.memory ?? new api.Memory({ initial: 2 });
    this.staging = new Staging(this.memory, heap);
  }

  /** Bytes of WebAssembly memory in use by the runtime (heap or staging; never shrinks). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A module instantiated on the runtime's memory (and sent to the workers), or why not. */
  private instantiate(
    bytes: Uint8Array,
    slicing: SliceableKernel,
    lanes: "f64" | "f32" = "f64",
  ): Instantiated | string {
    if (bytes.length > MAX_SYNC_MODULE_BYTES_MAIN_THREAD && onPageMainThread()) {
      return `module of ${bytes.length} bytes (over the page main thread's synchronous limit)`;
    }
    try {
      const module = new this.api.Module(bytes);
      const instance = new this.api.Instance(module, { env: { memory: this.memory } });
      const run = instance.exports[KERNEL_EXPORT] as (...args: number[]) => void;
      const rows = instance.exports[ROWS_EXPORT] as (...args: number[]) => void;
      return { run, poolId: this.pool?.register(module, slicing), lanes, rows, module };
    } catch (e) {
      return `compile failed: ${(e as Error).message}`;
    }
  }

  /** softmax, logSoftmax or softmin over rows in the heap, or why it stays on JavaScript. */
  compileSoftmax(variant: SoftmaxVariant): RowKernel | string {
    if (this.heap === undefined) return "no heap";
    const P = SOFTMAX_PARAMS;
    const kernel = this.instantiate(
      compileSoftmaxModule(variant, this.heap.memoryImport, this.precision),
      {
        pointers: [P.inPtr, P.outPtr],
        lengthArg: P.rows,
        lengthPerItem: 1,
        threadArg: P.thread,
      },
    );
    if (typeof kernel === "string") return kernel;
    const { run, poolId } = kernel;
    const pool = this.pool;
    const heap = this.heap;
    const threadedFrom = THREAD_MIN_WORK / SOFTMAX_COST;
    /** The pool, where this call is split across its threads. */
    const threadsFor = (rows: number, n: number): ThreadPool | undefined => {
      if (pool === undefined || poolId === undefined || rows <= 1 || rows * n < threadedFrom) {
        return undefined;
      }
      pool.start();
      return pool.ready(poolId) ? pool : undefined;
    };
    return (inPtr, outPtr, rows, n) => {
      const threads = threadsFor(rows, n);
      // Softmax's scratch: one slot per thread that may run a chunk (workers cannot join
      // before this synchronous call ends), for rows short enough; without it the kernel
      // computes each exp twice.
      const slotBytes = softmaxSlotBytes(n);
      const slots = threads?.threadSlots ?? 1;
      const scratch =
        variant !== "logSoftmax" && slotBytes <= SOFTMAX_SLOT_MAX
          ? heap.alloc("float32", (slots * slotBytes) / 4)
          : undefined;
      const call = [inPtr, outPtr, rows, n, scratch?.byteOffset ?? 0, 0];
      try {
        if (threads !== undefined && poolId !== undefined) {
          threads.run(poolId, call, rows, n * 4, (c) => run(...c));
          return true;
        }
        run(...call);
        return false;
      } finally {
        if (scratch !== undefined) heap.free(scratch);
      }
    };
  }

  /** Compiles `expr` for the given input layouts, or returns why it stays on JavaScript. */
  compile(expr: FusedExpr, layouts: readonly InputLayout[]): WasmKernel | string {
    const int32OfBool = isInt32OfBool(expr, layouts);
    const reason = int32OfBool ? undefined : simdUnsupportedReason(expr, layouts);
    if (reason !== undefined) return reason;
    const k = expr.inputDtypes.length;
    const contiguous = layouts.flatMap((l, i) => (l === "contiguous" ? [i] : []));
    // Sliced by 16-byte vectors: the byte length is 16 per item.
    const slicing: SliceableKernel = {
      pointers: [...contiguous, k],
      lengthArg: k + 1,
      lengthPerItem: 16,
    };
    const memory = this.heap?.memoryImport ?? PLAIN_MEMORY;
    // Float32 lanes where they give the same bits (clamp-like expressions), per call: the plan
    // also needs that call's scalars to be float32 values.
    const plan = f32Plan(expr);
    /** The float64 and float32-lane kernels specialised for one class of clamp scalars. */
    const compileVariant = (classes: ReadonlyMap<number, ScalarClass>): Variant | string => {
      // An int32 output has only the float32-lane kernel (no float64 one to fall back on).
      const f64 = int32OfBool
        ? undefined
        : this.instantiate(
            compileSimdModule(expr, layouts, memory, classes, this.precision),
            slicing,
          );
      if (typeof f64 === "string") return f64;
      const lanes =
        plan && this.instantiate(compileF32Module(expr, layouts, memory, classes), slicing, "f32");
      const f32 = typeof lanes === "object" ? lanes : undefined;
      if (f64 === undefined && f32 === undefined) {
        return typeof lanes === "string" ? lanes : "int32 output outside float32 lanes";
      }
      return { f64, f32 };
    };
    const clampIndices = specialisedScalars(expr);
    const variants = new Map<string | number, Variant | string>();
    const coded = clampIndices.length <= MAX_CODED_SCALARS;
    const variantFor = (scalars: readonly number[]): Variant | string => {
      // The class code needs no allocation; the classes themselves only for compiling.
      const code = coded ? scalarClassCode(clampIndices, scalars) : undefined;
      let v = code === undefined ? undefined : variants.get(code);
      if (v !== undefined) return v;
      const { key, classes } = classifyScalars(clampIndices, scalars);
      v = variants.get(key);
      if (v === undefined) {
        v = compileVariant(classes);
        variants.set(key, v);
      }
      if (code !== undefined) variants.set(code, v);
      return v;
    };
    // The general variant now, so that an expression that cannot compile is known at once.
    const general = compileVariant(new Map());
    if (typeof general === "string") return general;
    const pick = (scalars: readonly number[]): Instantiated | undefined => {
      const v = clampIndices.length === 0 ? general : variantFor(scalars);
      if (typeof v === "string") return undefined;
      return plan !== undefined && v.f32 !== undefined && scalarsFitF32(plan, scalars)
        ? v.f32
        : v.f64;
    };

    const callArgs = new Array<number>(k + 2 + expr.scalarCount + k).fill(0);
    const threadedFrom = Math.ceil(THREAD_MIN_WORK / exprCost(expr));
    const pool = this.pool;

    const setInvariants = (args: KernelArgs) => {
      for (let j = 0; j < expr.scalarCount; j++) {
        callArgs[k + 2 + j] = args.scalars[j] as number;
      }
      for (let i = 0; i < k; i++) {
        if (layouts[i] === "constant") {
          callArgs[k + 2 + expr.scalarCount + i] = args.inputs[i]?.[args.offsets[i] as number] ?? 0;
        }
      }
    };

    const inHeap = (args: KernelArgs) => {
      const heap = this.heap;
      if (heap === undefined || !heap.owns(args.out)) return false;
      return contiguous.every((i) => heap.owns(args.inputs[i] as StorageArray));
    };

    const direct = (args: KernelArgs, { run, poolId }: Instantiated) => {
      const out = args.out as Float32Array;
      for (const i of contiguous) {
        const src = args.inputs[i] as Float32Array;
        callArgs[i] = src.byteOffset + (args.offsets[i] as number) * 4;
      }
      callArgs[k] = out.byteOffset;
      // Whole vectors: the heap's blocks are padded to 16 bytes, so the extra lanes stay inside
      // the output's own block.
      const bytes = Math.ceil(out.length / 4) * 16;
      callArgs[k + 1] = bytes;
      if (pool !== undefined && poolId !== undefined && out.length >= threadedFrom) {
        pool.start();
        if (pool.ready(poolId)) {
          pool.run(poolId, callArgs, bytes / 16, 16, (c) => run(...c));
          return true;
        }
      }
      run(...callArgs);
      return false;
    };

    const staged = (args: KernelArgs, { run }: Instantiated) => {
      const outSlot = contiguous.length;
      const { heap, base } = this.staging.ensure(outSlot + 1);
      contiguous.forEach((input, slot) => {
        callArgs[input] = base + slot * CHUNK_BYTES;
      });
      callArgs[k] = base + outSlot * CHUNK_BYTES;
      const out = args.out as Float32Array | Int32Array;
      // The output slot read with the output's own element type (int32 for step).
      const outView = out instanceof Int32Array ? new Int32Array(heap.buffer) : heap;
      const n = out.length;
      const first = base / 4;
      const outAt = first + outSlot * CHUNK;
      for (let start = 0; start < n; start += CHUNK) {
        const len = Math.min(CHUNK, n - start);
        for (let s = 0; s < contiguous.length; s++) {
          const input = contiguous[s] as number;
          const src = args.inputs[input] as Float32Array;
          const from = (args.offsets[input] as number) + start;
          heap.set(src.subarray(from, from + len), first + s * CHUNK);
        }
        callArgs[k + 1] = ((len + 3) & ~3) * 4;
        run(...callArgs);
        out.set(outView.subarray(outAt, outAt + len), start);
      }
    };

    const R = rowsParams(expr);
    const rowArgs = new Array<number>(R.count).fill(0);
    const rows = (args: KernelArgs, split: RowSplit): WasmRun | undefined => {
      setInvariants(args);
      const kernel = pick(args.scalars);
      if (kernel === undefined || !inHeap(args)) return undefined;
      for (let j = 0; j < callArgs.length; j++) rowArgs[j] = callArgs[j] as number;
      for (const i of contiguous) {
        const src = args.inputs[i] as Float32Array;
        rowArgs[i] = src.byteOffset + (args.offsets[i] as number) * 4;
        rowArgs[R.rowStride(i)] = (split.rowStrides[i] as number) * 4;
      }
      const rowBytes = split.cols * 4; // whole vectors: splitRows takes rows of 4k elements
      rowArgs[k] = (args.out as Float32Array).byteOffset;
      rowArgs[k + 1] = rowBytes;
      rowArgs[R.startByte] = 0;
      rowArgs[R.rowCount] = split.rows;
      rowArgs[R.outRowBytes] = rowBytes;
      const f32Lanes = kernel.lanes === "f32";
      if (pool !== undefined && split.rows > 1 && split.rows * split.cols >= threadedFrom) {
        // The first output row's byte offset is the sliced "pointer": one row per item.
        kernel.rowsPoolId ??= pool.register(kernel.module, {
          pointers: [R.startByte],
          lengthArg: R.rowCount,
          lengthPerItem: 1,
          entry: ROWS_EXPORT,
        });
        pool.start();
        if (pool.ready(kernel.rowsPoolId)) {
          pool.run(kernel.rowsPoolId, rowArgs, split.rows, rowBytes, (c) => kernel.rows(...c));
          return { threaded: true, f32Lanes };
        }
      }
      kernel.rows(...rowArgs);
      return { threaded: false, f32Lanes };
    };

    const whole = (args: KernelArgs) => {
      setInvariants(args);
      const kernel = pick(args.scalars);
      if (kernel === undefined) return undefined;
      const f32Lanes = kernel.lanes === "f32";
      if (inHeap(args)) return { threaded: direct(args, kernel), f32Lanes };
      staged(args, kernel);
      return { threaded: false, f32Lanes };
    };
    return Object.assign(whole, { rows });
  }
}
