import type { DeviceBuffer, DType, StorageArray } from "@nnkit/core";

/** CPU memory: a typed array of the dtype's storage type. */
export class CpuBuffer implements DeviceBuffer {
  private released = false;

  constructor(
    readonly backend: string,
    readonly dtype: DType,
    readonly data: StorageArray,
    private readonly onRelease: () => void,
  ) {}

  get size(): number {
    return this.data.length;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }
}
