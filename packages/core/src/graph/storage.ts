import type { DeviceBuffer } from "../backend/backend.js";
import type { Shape } from "../shape/shape.js";

/**
 * A reference-counted device buffer. Views (reshape, transpose, slices, broadcasts) share one
 * buffer; it is released when the last array using it is disposed or garbage-collected.
 */
export class BufferRef {
  private refs = 1;
  constructor(readonly buffer: DeviceBuffer) {}

  retain(): this {
    this.refs++;
    return this;
  }

  release(): void {
    if (this.refs <= 0) return;
    this.refs--;
    if (this.refs === 0) this.buffer.release();
  }
}

/** Where an evaluated array's elements live: a buffer, an element offset and strides. */
export interface Storage {
  readonly ref: BufferRef;
  readonly offset: number;
  readonly strides: readonly number[];
}

export function isContiguous(storage: Storage, shape: Shape): boolean {
  // Row-major strides computed on the fly: this runs on every read, so no array is built.
  const strides = storage.strides;
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d > 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/** True when the storage is exactly its whole buffer in row-major order. */
export function isWholeBuffer(storage: Storage, shape: Shape, size: number): boolean {
  return storage.offset === 0 && storage.ref.buffer.size === size && isContiguous(storage, shape);
}

/**
 * Arrays dropped without `dispose()` give their buffer back when garbage-collected, so
 * intermediates never outlive the last array that can reach them.
 */
export const bufferFinalizer = new FinalizationRegistry<BufferRef>((ref) => ref.release());
