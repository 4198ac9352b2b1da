import { NnkitError, type Shape } from "@nnkit/core";
import type { WebGPUBuffer } from "../gpu/buffer.js";
import type { GpuContext } from "../gpu/context.js";
import { gpuStorage } from "../gpu/dtypes.js";
import { copyWgsl } from "../wgsl/rows-copy.js";
import {
  dispatchRowChunks,
  planRowChunks,
  ROWS_WG,
  type RowChunk,
  type RowLayout,
  rowLayout,
  rowMajorStrides,
} from "../wgsl/rows-layout.js";
import type { GpuView } from "./types.js";

/** Enqueues copies of each input into its slab of `out` along `axis`. */
export function encodeConcatenate(
  ctx: GpuContext,
  inputs: readonly GpuView[],
  shapes: readonly Shape[],
  axis: number,
  outShape: Shape,
  out: WebGPUBuffer,
): void {
  const fn = "concatenate";
  const store = gpuStorage(fn, out.dtype, ctx.hasF16);
  const type = store.bytes === 2 ? "f16" : "u32";
  const outStrides = rowMajorStrides(outShape);
  const copies: { layout: RowLayout; chunks: RowChunk[]; key: string; rank: number }[] = [];
  let prefix = 0;
  inputs.forEach((view, i) => {
    const shape = shapes[i] as Shape;
    const dims = shape.map((size, d) => ({
      size,
      inStride: view.strides[d] ?? 0,
      outStride: outStrides[d] as number,
    }));
    const layout = rowLayout(fn, dims, [], view.offset, prefix * (outStrides[axis] as number));
    prefix += shape[axis] as number;
    if (layout.rows === 0) return;
    const chunks = planRowChunks(
      ctx,
      layout,
      { buffer: view.buffer.gpu, bytes: store.bytes },
      { buffer: out.gpu, bytes: store.bytes },
      ROWS_WG,
    );
    // One element per row always fits a binding.
    if (!chunks) throw new NnkitError(fn, "internal: an element does not fit one binding");
    const rank = layout.kept.length;
    copies.push({ layout, chunks, key: `rows-copy|${type}|k${rank}`, rank });
  });
  if (copies.length === 0) return;
  ctx.enqueue(async () => {
    for (const c of copies) {
      const pipeline = await ctx.pipeline(c.key, () => copyWgsl(type, c.rank));
      dispatchRowChunks(ctx, pipeline, c.layout, c.chunks, ROWS_WG);
    }
  });
}
