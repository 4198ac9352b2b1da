import { allocateStorage, type DType, type StorageArray } from "@nnkit/core";

/**
 * Released storage kept for reuse, by exact dtype and length (a model's elementwise outputs
 * repeat the same sizes). Reuse saves the allocation and, on large arrays, the page faults of
 * first touch, which dominate an elementwise kernel at 2^24 elements. Only storage the backend
 * allocated enters the pool (never an array handed to `upload`), and only kernels that
 * overwrite every element take from it. Holds at most `maxBytes`; beyond that released storage
 * is left to the garbage collector.
 */
export class StoragePool {
  private readonly free = new Map<string, StorageArray[]>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes currently held for reuse. */
  get pooledBytes(): number {
    return this.bytes;
  }

  /** Storage of `dtype` and `size` with unspecified contents (the caller overwrites it all). */
  take(dtype: DType, size: number): StorageArray {
    const list = this.free.get(`${dtype}:${size}`);
    const reused = list?.pop();
    if (reused === undefined) return allocateStorage(dtype, size);
    this.bytes -= reused.byteLength;
    return reused;
  }

  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }

  /** Gives back storage no buffer uses any more. */
  give(dtype: DType, data: StorageArray): void {
    if (data.byteLength === 0 || this.bytes + data.byteLength > this.maxBytes) return;
    const key = `${dtype}:${data.length}`;
    let list = this.free.get(key);
    if (list === undefined) {
      list = [];
      this.free.set(key, list);
    }
    list.push(data);
    this.bytes += data.byteLength;
  }
}
