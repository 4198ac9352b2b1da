/**
 * Reuses GPU buffers by size class (powers of two from 256 bytes), so a model's repeated
 * shapes stop allocating after the first step. Returned buffers stay pooled up to
 * `maxPooledBytes`; beyond that they are destroyed. Ordering is safe because every use of a
 * buffer is encoded through the context's single ordered stream (see GpuContext).
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly maxPooledBytes: number,
    private readonly destroyLater: (b: GPUBuffer) => void,
  ) {}

  static sizeClass(bytes: number): number {
    return Math.max(256, 2 ** Math.ceil(Math.log2(bytes)));
  }

  acquire(bytes: number): GPUBuffer {
    const size = BufferPool.sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.pooledBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: this.usage });
  }

  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    if (this.pooledBytes + size > this.maxPooledBytes) {
      this.destroyLater(buffer);
      return;
    }
    this.pooledBytes += size;
    const list = this.free.get(size) ?? [];
    list.push(buffer);
    this.free.set(size, list);
  }

  /** Destroys every pooled buffer (their GPU memory is freed once queued work completes). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) this.destroyLater(b);
    this.free.clear();
    this.pooledBytes = 0;
  }

  get bytesPooled(): number {
    return this.pooledBytes;
  }
}
