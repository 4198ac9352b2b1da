import type { WebGPUBuffer } from "../gpu/buffer.js";

/** A GPU buffer read through an element offset and per-axis element strides (0 = broadcast). */
export interface GpuView {
  readonly buffer: WebGPUBuffer;
  readonly offset: number;
  readonly strides: readonly number[];
}
