import type { Shape, SoftmaxVariant } from "@nnkit/core";
import type { WebGPUBuffer } from "../gpu/buffer.js";
import type { GpuContext } from "../gpu/context.js";
import { gpuStorage } from "../gpu/dtypes.js";
import { dispatchRowChunks, type RowDim, rowLayout, rowMajorStrides } from "../wgsl/rows-layout.js";
import { planSoftmax } from "../wgsl/rows-plan.js";
import { rowsKey } from "../wgsl/rows-reduce.js";
import { softmaxWgsl } from "../wgsl/rows-softmax.js";
import { planRowKernel, rowPlan } from "./reduce.js";
import type { GpuView } from "./types.js";

/**
 * Enqueues softmax, log-softmax or softmin over `axes` of `input` into `out` (same shape,
 * row-major). softmin's kernels read the input negated; there is no negated copy.
 */
export function encodeSoftmax(
  ctx: GpuContext,
  input: GpuView,
  shape: Shape,
  axes: readonly number[],
  variant: SoftmaxVariant,
  out: WebGPUBuffer,
): void {
  const fn = variant;
  const inStore = gpuStorage(fn, input.buffer.dtype, ctx.hasF16);
  const outStore = gpuStorage(fn, out.dtype, ctx.hasF16);
  const outStrides = rowMajorStrides(shape);
  const dim = (axis: number): RowDim => ({
    size: shape[axis] as number,
    inStride: input.strides[axis] ?? 0,
    outStride: outStrides[axis] as number,
  });
  const sorted = [...axes].sort((a, b) => a - b);
  const kept = shape.map((_, i) => i).filter((i) => !sorted.includes(i));
  const layout = rowLayout(fn, kept.map(dim), sorted.map(dim), input.offset, 0);
  if (layout.rows === 0 || layout.len === 0) return;
  const { spec, perGroup, segment, chunks } = planRowKernel(
    ctx,
    layout,
    input,
    inStore,
    out,
    outStore,
  );
  if (!chunks) {
    // Rows longer than one binding (or split on purpose): statistics by segments, then apply.
    const keptSizes = kept.map((i) => shape[i] as number);
    const statStrides = rowMajorStrides(keptSizes);
    const statLayout = rowLayout(
      fn,
      kept.map((a, i) => ({ ...dim(a), outStride: statStrides[i] as number })),
      sorted.map((a) => ({ ...dim(a), outStride: 0 })),
      input.offset,
      0,
    );
    const plan = rowPlan(ctx, fn);
    planSoftmax(
      plan,
      statLayout,
      layout,
      { slot: { gpu: input.buffer.gpu }, size: input.buffer.gpu.size, bytes: inStore.bytes },
      inStore.wgsl,
      { slot: { gpu: out.gpu }, size: out.gpu.size, bytes: outStore.bytes },
      outStore.wgsl,
      variant,
      segment,
    );
    plan.run();
    return;
  }
  const key = rowsKey(fn, spec);
  ctx.enqueue(async () => {
    const pipeline = await ctx.pipeline(key, () => softmaxWgsl(variant, spec));
    dispatchRowChunks(ctx, pipeline, layout, chunks, perGroup);
  });
}
