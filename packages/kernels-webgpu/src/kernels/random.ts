import { NnkitError } from "@nnkit/core";
import type { WebGPUBuffer } from "../gpu/buffer.js";
import type { GpuContext } from "../gpu/context.js";
import { bindRange, ROWS_WG } from "../wgsl/rows-layout.js";
import { RANDOM_BITS_WGSL } from "../wgsl/rows-threefry.js";
import type { GpuView } from "./types.js";

/** Enqueues threefry2x32 bits from the 2-word `key` into `out`, in MLX's layout. */
export function encodeRandomBits(ctx: GpuContext, key: GpuView, out: WebGPUBuffer): void {
  const n = out.size;
  if (n === 0) return;
  if (n > 2 ** 32 - 1)
    throw new NnkitError("random", "the webgpu backend draws at most 2^32 - 1 words per key");
  const second = key.offset + (key.strides[0] ?? 1);
  const keyBinding = bindRange(
    ctx,
    key.buffer.gpu,
    4,
    Math.min(key.offset, second),
    Math.max(key.offset, second),
  );
  if (!keyBinding) throw new NnkitError("random", "the key's two words are too far apart to bind");
  const half = Math.floor(n / 2);
  const odd = n % 2;
  // Words per dispatch: within one binding (aligned start) and one dispatch grid.
  const align = Math.max(1, ctx.limits.minStorageBufferOffsetAlignment / 4);
  const byBinding = Math.floor(ctx.limits.maxStorageBufferBindingSize / 4 / align) * align;
  const byGrid = ctx.limits.maxComputeWorkgroupsPerDimension ** 2 * ROWS_WG;
  const per = Math.min(byBinding, Math.floor(byGrid / align) * align, 2 ** 31);
  if (per < 1)
    throw new NnkitError("random", "the device's binding limit is too small for any output");
  const k0 = key.offset - keyBinding.firstElement;
  const k1 = second - keyBinding.firstElement;
  ctx.enqueue(async () => {
    const pipeline = await ctx.pipeline("rows-random-bits", () => RANDOM_BITS_WGSL);
    for (let start = 0; start < n; start += per) {
      const count = Math.min(per, n - start);
      const uniform = ctx.uniform(Uint32Array.of(n, half, half + odd, odd, start, count, k0, k1));
      const bytes = count * 4;
      ctx.dispatch(
        pipeline,
        [
          { buffer: uniform },
          keyBinding.resource,
          { buffer: out.gpu, offset: start * 4, size: bytes },
        ],
        Math.ceil(count / ROWS_WG),
      );
    }
  });
}
