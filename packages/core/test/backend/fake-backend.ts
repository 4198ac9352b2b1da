import type { Backend, DeviceBuffer, StridedView } from "../../src/backend/backend.js";
import type { DType, StorageArray } from "../../src/dtype/dtype.js";

class FakeBuffer implements DeviceBuffer {
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
    this.onRelease();
  }
}

/**
 * The least a backend must implement for core to store and read arrays: uploads, reads and a
 * live-buffer count. Kernels are not implemented; a test that reaches one fails loudly.
 */
export class FakeBackend implements Backend {
  private live = 0;

  constructor(
    readonly name: string,
    readonly canReadSync: boolean,
  ) {}

  liveBuffers(): number {
    return this.live;
  }

  upload(dtype: DType, data: StorageArray): DeviceBuffer {
    this.live++;
    return new FakeBuffer(this.name, dtype, data.slice(), () => {
      this.live--;
    });
  }

  private own(buffer: DeviceBuffer): FakeBuffer {
    if (!(buffer instanceof FakeBuffer) || buffer.backend !== this.name) {
      throw new Error(`${this.name}: foreign buffer`);
    }
    return buffer;
  }

  async read(buffer: DeviceBuffer): Promise<StorageArray> {
    // A real asynchronous read (as WebGPU's mapAsync): resolve on a later task.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return this.own(buffer).data.slice();
  }

  readSync(buffer: DeviceBuffer): StorageArray {
    if (!this.canReadSync)
      throw new Error(`${this.name}: readSync called on an async-only backend`);
    return this.own(buffer).data.slice();
  }

  elementwise(): DeviceBuffer {
    throw new Error(`${this.name}: elementwise is not implemented by the fake backend`);
  }

  reduce(): DeviceBuffer {
    throw new Error(`${this.name}: reduce is not implemented by the fake backend`);
  }

  softmax(): DeviceBuffer {
    throw new Error(`${this.name}: softmax is not implemented by the fake backend`);
  }

  concatenate(): DeviceBuffer {
    throw new Error(`${this.name}: concatenate is not implemented by the fake backend`);
  }

  randomBits(_key: StridedView, _count: number): DeviceBuffer {
    throw new Error(`${this.name}: randomBits is not implemented by the fake backend`);
  }
}
