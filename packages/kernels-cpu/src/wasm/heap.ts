import type { DType, StorageArray } from "@nnkit/core";
import { BlockAllocator } from "./allocator.js";
import { type WasmApi, type WasmMemory, wasmApi } from "./api.js";
import type { MemoryImport } from "./encoder.js";

const PAGE_BYTES = 65536;
/** Pages reserved at first (1 MiB); the memory grows on demand up to its maximum. */
const INITIAL_PAGES = 16;
/**
 * Maxima tried in turn: 4 GiB (all of wasm32), then less where the host cannot reserve that
 * much address space (32-bit or memory-constrained browsers).
 */
const MAX_PAGES_TRIED = [65536, 16384, 4096] as const;

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => StorageArray;

const VIEW: Record<DType, ViewCtor> = {
  float32: Float32Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
};

/** Whether shared memory may be used here (browsers need cross-origin isolation for it). */
function sharedMemoryAllowed(): boolean {
  if (typeof SharedArrayBuffer !== "function") return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

/**
 * Array storage inside one shared WebAssembly memory, where the SIMD kernels (on this thread
 * and in worker threads) read and write it directly: no staging copies. Typed-array views of a
 * shared memory stay valid when it grows (its SharedArrayBuffer is never detached), so storage
 * handed out here is ordinary typed arrays to the rest of the backend.
 */
export class WasmHeap {
  private readonly allocator: BlockAllocator;
  /** Every SharedArrayBuffer object the memory has had (one per growth): views on any of them. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private current: ArrayBufferLike;

  private constructor(
    readonly memory: WasmMemory,
    readonly maxPages: number,
  ) {
    this.current = memory.buffer;
    this.buffers.add(this.current);
    this.allocator = new BlockAllocator(0, (end) => this.ensure(end));
  }

  /** A heap, or undefined where shared WebAssembly memory is unavailable. */
  static create(api: WasmApi | undefined = wasmApi()): WasmHeap | undefined {
    if (api === undefined || !sharedMemoryAllowed()) return undefined;
    for (const maximum of MAX_PAGES_TRIED) {
      try {
        const memory = new api.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
        if (typeof SharedArrayBuffer === "function" && memory.buffer instanceof SharedArrayBuffer) {
          return new WasmHeap(memory, maximum);
        }
        return undefined;
      } catch {
        // Try a smaller reservation.
      }
    }
    return undefined;
  }

  /** How kernel modules must import this memory. */
  get memoryImport(): MemoryImport {
    return { shared: true, maxPages: this.maxPages };
  }

  /** Bytes the memory holds now (it never shrinks). */
  get reservedBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** Bytes in live storage. */
  get usedBytes(): number {
    return this.allocator.usedBytes;
  }

  private ensure(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const pages = Math.ceil((end - have) / PAGE_BYTES);
    if (have / PAGE_BYTES + pages > this.maxPages) return false;
    try {
      this.memory.grow(pages);
    } catch {
      return false;
    }
    this.current = this.memory.buffer;
    this.buffers.add(this.current);
    return true;
  }

  /**
   * Storage for `size` elements of `dtype` with unspecified contents, or undefined when the
   * memory is full (the caller then uses ordinary JavaScript storage).
   */
  alloc(dtype: DType, size: number): StorageArray | undefined {
    const bytesPer = dtype === "float16" || dtype === "bfloat16" ? 2 : dtype === "bool" ? 1 : 4;
    const start = this.allocator.alloc(size * bytesPer);
    if (start === undefined) return undefined;
    return new VIEW[dtype](this.current, start, size);
  }

  /** Whether `data` lives in this heap (possibly a view into part of a block). */
  owns(data: StorageArray): boolean {
    // Views made since the memory last grew (nearly all) are on the current buffer: one
    // comparison before the set lookup that older buffers need.
    const buffer = data.buffer;
    return buffer === this.current || this.buffers.has(buffer);
  }

  /** Frees storage from `alloc` (the whole block, given the view `alloc` returned). */
  free(data: StorageArray): void {
    this.allocator.free(data.byteOffset);
  }
}
