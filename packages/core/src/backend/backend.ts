import type { DType, StorageArray } from "../dtype/dtype.js";
import type { FusedExpr } from "../expr/expression.js";
import type { ReduceOp, SoftmaxVariant } from "../expr/ops.js";
import type { Shape } from "../shape/shape.js";

/**
 * Memory owned by a backend. Core never looks inside; it only passes buffers back to the
 * backend that made them and releases them when no array needs them any more.
 */
export interface DeviceBuffer {
  /** Name of the backend that owns this buffer. */
  readonly backend: string;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Frees the memory. Called exactly once by core. */
  release(): void;
}

/** A buffer read through an element offset and per-axis element strides (0 = broadcast). */
export interface StridedView {
  readonly buffer: DeviceBuffer;
  readonly offset: number;
  readonly strides: readonly number[];
}

/**
 * What a backend implements. Each method computes one primitive and returns a new,
 * contiguous, row-major buffer; inputs are never modified.
 */
export interface Backend {
  readonly name: string;
  /** Whether `readSync` works (the CPU) or only `read` (WebGPU). */
  readonly canReadSync: boolean;
  /** Copies host data into a new buffer. */
  upload(dtype: DType, data: StorageArray): DeviceBuffer;
  /** The whole buffer's contents as a fresh host array. */
  read(buffer: DeviceBuffer): Promise<StorageArray>;
  /** Synchronous read; only called when `canReadSync` is true. */
  readSync(buffer: DeviceBuffer): StorageArray;
  /** Runs a fused elementwise expression over `outShape`; inputs' strides are given against outShape. */
  elementwise(
    expr: FusedExpr,
    inputs: readonly StridedView[],
    scalars: readonly number[],
    outShape: Shape,
  ): DeviceBuffer;
  /** Reduces `axes` (sorted, non-empty or all) of `input`, which has `shape`; the output drops those axes. */
  reduce(
    op: ReduceOp,
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    outDtype: DType,
  ): DeviceBuffer;
  /**
   * `variant` over `axes` of `input` (same output shape), with max the row's max:
   * "softmax" exp(x - max) / sum(exp(x - max)); "logSoftmax" (x - max) - log(sum(exp(x - max)));
   * "softmin" softmax of -x, the input negated as it is read (the same bits as softmax of a
   * negated copy). Rows containing +inf, NaN, or only -inf (after the negation) give NaN.
   */
  softmax(
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    variant: SoftmaxVariant,
    outDtype: DType,
  ): DeviceBuffer;
  /** Joins inputs along `axis`; `shapes[i]` is the shape of inputs[i]. */
  concatenate(
    inputs: readonly StridedView[],
    shapes: readonly Shape[],
    axis: number,
    outShape: Shape,
    dtype: DType,
  ): DeviceBuffer;
  /** `count` uint32 words of threefry2x32 random bits from a 2-word uint32 key, laid out as MLX does. */
  randomBits(key: StridedView, count: number): DeviceBuffer;
  /** Buffers allocated and not yet released. */
  liveBuffers(): number;
  /** Set once the backend can no longer work (e.g. a lost GPU device); shown by listBackends(). */
  readonly failure?: string | undefined;
  /** What it runs on, for people (a GPU adapter's vendor and model); shown by listBackends(). */
  readonly description?: string | undefined;
}

/** A backend factory may initialise synchronously (CPU) or asynchronously (WebGPU). */
export type BackendFactory = () => Backend | Promise<Backend>;
