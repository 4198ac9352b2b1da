import type { ReduceOp, Shape } from "@nnkit/core";
import type { WebGPUBuffer } from "../gpu/buffer.js";
import type { GpuContext } from "../gpu/context.js";
import { type GpuStorageType, gpuStorage } from "../gpu/dtypes.js";
import {
  dispatchRowChunks,
  planRowChunks,
  ROWS_WG,
  type RowDim,
  type RowLayout,
  rowLayout,
  rowMajorStrides,
} from "../wgsl/rows-layout.js";
import { planReduction, RowPlan } from "../wgsl/rows-plan.js";
import {
  type RowsKernelSpec,
  type RowsStrategy,
  reduceWgsl,
  rowsKey,
} from "../wgsl/rows-reduce.js";
import type { SegAlgebra } from "../wgsl/rows-segment.js";
import type { GpuView } from "./types.js";

/**
 * Test hook: forces a strategy or a workgroup size on every row kernel (undefined: chosen by
 * size and device).
 */
export const rowsTuning: {
  strategy: RowsStrategy | undefined;
  groupSize: 64 | 256 | undefined;
  /** Split rows into segments of at most this many elements (the multi-stage path). */
  segment: number | undefined;
} = { strategy: undefined, groupSize: undefined, segment: undefined };

/**
 * The segment length for rows split over several workgroups, or undefined to reduce each row
 * in one workgroup. Forced by rowsTuning.segment; on a GPU, a few long rows are split so that
 * about 512 workgroups share them (one workgroup per row would leave most of the device idle).
 * On a software adapter parallelism is a few cores, and one workgroup per row is enough.
 */
export function rowsSegment(ctx: GpuContext, rows: number, len: number): number | undefined {
  if (rowsTuning.segment !== undefined) return rowsTuning.segment;
  if (isFallback(ctx) || rows >= 64 || len < 65536) return undefined;
  const parts = Math.min(Math.ceil(len / 8192), Math.ceil(512 / rows));
  return parts > 1 ? Math.ceil(len / parts) : undefined;
}

/** The plan of a row kernel that needs segments (see wgsl/rows-plan.ts). */
export function rowPlan(ctx: GpuContext, fn: string): RowPlan {
  return new RowPlan(
    ctx,
    fn,
    (rows, len, stride) => rowsStrategy(ctx, rows, len, stride),
    rowsGroupSize(ctx),
  );
}

/** Threads per workgroup in the group strategy (see RowsKernelSpec.groupSize). */
export function rowsGroupSize(ctx: GpuContext): 64 | 256 {
  return rowsTuning.groupSize ?? (isFallback(ctx) ? 64 : 256);
}

/**
 * Picks one thread per row ("thread") or one workgroup per row ("group").
 *
 * On a GPU: a thread per row for short rows, and for moderately long strided rows when there
 * are many of them (a reduction over a leading axis: neighbouring threads then read
 * neighbouring elements); a workgroup per row otherwise, which reads rows coalesced and keeps
 * the whole device busy even with few rows.
 *
 * On a fallback (software) adapter such as SwiftShader every invocation and barrier is costly
 * while parallelism is a few CPU cores: a thread per row unless there are few, long rows
 * (measured on SwiftShader, sum over the rows of [4096, 1024]: 72 ms against 2.9 s).
 */
export function rowsStrategy(
  ctx: GpuContext,
  rows: number,
  len: number,
  innerStride: number,
): RowsStrategy {
  if (rowsTuning.strategy) return rowsTuning.strategy;
  if (len <= 32) return "thread";
  if (isFallback(ctx)) return rows >= 64 || len <= 4096 ? "thread" : "group";
  if (innerStride !== 1 && len <= 4096 && rows >= 4096) return "thread";
  return "group";
}

/** Whether the device is a software (fallback) adapter such as SwiftShader. */
export function isFallback(ctx: GpuContext): boolean {
  const info = (ctx.device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info?.isFallbackAdapter === true || info?.architecture === "swiftshader";
}

/** Enqueues a reduction of `axes` (sorted) of `input` (of `shape`) into `out` (kept axes, row-major). */
export function encodeReduce(
  ctx: GpuContext,
  op: ReduceOp,
  input: GpuView,
  shape: Shape,
  axes: readonly number[],
  out: WebGPUBuffer,
): void {
  const inStore = gpuStorage(op, input.buffer.dtype, ctx.hasF16);
  const outStore = gpuStorage(op, out.dtype, ctx.hasF16);
  const keptAxes = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outStrides = rowMajorStrides(keptAxes.map((i) => shape[i] as number));
  const dim = (axis: number, outStride: number): RowDim => ({
    size: shape[axis] as number,
    inStride: input.strides[axis] ?? 0,
    outStride,
  });
  const layout = rowLayout(
    op,
    keptAxes.map((a, i) => dim(a, outStrides[i] as number)),
    axes.map((a) => dim(a, 0)),
    input.offset,
    0,
  );
  if (layout.rows === 0) return;
  const { spec, perGroup, segment, chunks } = planRowKernel(
    ctx,
    layout,
    input,
    inStore,
    out,
    outStore,
  );
  if (!chunks) {
    // Rows longer than one binding (or split on purpose): reduce them by segments.
    const plan = rowPlan(ctx, op);
    const src = {
      slot: { gpu: input.buffer.gpu },
      size: input.buffer.gpu.size,
      bytes: inStore.bytes,
    };
    const dst = { slot: { gpu: out.gpu }, size: out.gpu.size, bytes: outStore.bytes };
    const opts = { count: layout.len, ...(segment !== undefined ? { maxS: segment } : {}) };
    const intIn = inStore.wgsl === "i32" || inStore.wgsl === "u32";
    const intOut = outStore.wgsl === "i32" || outStore.wgsl === "u32";
    const elemType = inStore.wgsl;
    const outType = outStore.wgsl;
    if (op === "logsumexp") {
      const m = plan.temp(layout.rows * 4, 4);
      planReduction(
        plan,
        layout,
        src,
        "elements",
        "fmax",
        elemType,
        { dst: m, finish: "value", outType: "f32" },
        opts,
      );
      planReduction(
        plan,
        layout,
        src,
        "elements",
        "expsum",
        elemType,
        { dst, finish: "lse", outType },
        { ...opts, statsM: m },
      );
    } else {
      const algebra: SegAlgebra =
        op === "sum" || op === "mean"
          ? op === "sum" && intOut
            ? "isum"
            : "fsum"
          : op === "max"
            ? intIn
              ? "imax"
              : "fmax"
            : intIn
              ? "imin"
              : "fmin";
      const finish = op === "mean" ? "mean" : "value";
      planReduction(
        plan,
        layout,
        src,
        "elements",
        algebra,
        elemType,
        { dst, finish, outType },
        opts,
      );
    }
    plan.run();
    return;
  }
  const key = rowsKey(`reduce-${op}`, spec);
  ctx.enqueue(async () => {
    const pipeline = await ctx.pipeline(key, () => reduceWgsl(op, spec));
    dispatchRowChunks(ctx, pipeline, layout, chunks, perGroup);
  });
}

/** How a row kernel runs over `layout`: one of these per reduction or softmax. */
export interface RowKernelPlan {
  readonly spec: RowsKernelSpec;
  /** Rows per workgroup (1 when a workgroup shares each row). */
  readonly perGroup: number;
  /** Segment length when rows are split over several workgroups. */
  readonly segment: number | undefined;
  /** Dispatch chunks within the binding limits; undefined when rows must go by segments. */
  readonly chunks: ReturnType<typeof planRowChunks>;
}

/** Chooses the strategy, workgroup size and dispatch chunks of a row kernel over `layout`. */
export function planRowKernel(
  ctx: GpuContext,
  layout: RowLayout,
  input: GpuView,
  inStore: GpuStorageType,
  out: WebGPUBuffer,
  outStore: GpuStorageType,
): RowKernelPlan {
  const inner = layout.red[layout.red.length - 1];
  const strategy = rowsStrategy(ctx, layout.rows, layout.len, inner ? inner.inStride : 1);
  const spec: RowsKernelSpec = {
    inType: inStore.wgsl,
    outType: outStore.wgsl,
    strategy,
    groupSize: rowsGroupSize(ctx),
    keptRank: layout.kept.length,
    redRank: layout.red.length,
  };
  const perGroup = strategy === "group" ? 1 : ROWS_WG;
  const segment = rowsSegment(ctx, layout.rows, layout.len);
  const chunks =
    segment === undefined
      ? planRowChunks(
          ctx,
          layout,
          { buffer: input.buffer.gpu, bytes: inStore.bytes },
          { buffer: out.gpu, bytes: outStore.bytes },
          perGroup,
        )
      : undefined;
  return { spec, perGroup, segment, chunks };
}
