import type { DeviceBuffer, DType } from "@nnkit/core";

/** A GPU storage buffer holding `size` elements of `dtype`. */
export class WebGPUBuffer implements DeviceBuffer {
  private released = false;

  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    /** The underlying buffer; possibly larger than needed (pooled by size class). */
    readonly gpu: GPUBuffer,
    private readonly onRelease: (b: WebGPUBuffer) => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
  }

  get isReleased(): boolean {
    return this.released;
  }
}
