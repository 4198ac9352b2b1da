import type { StorageArray } from "@nnkit/core";
import type { WasmMemory } from "./api.js";
import type { WasmHeap } from "./heap.js";

/** Elements per staging chunk: one 64 KiB WebAssembly page per array, so chunks stay in L2. */
export const CHUNK = 16384;
export const CHUNK_BYTES = CHUNK * 4;
const PAGE_BYTES = 65536;

/**
 * Where a kernel's inputs are copied when they are not in the heap: one CHUNK-sized slot per
 * contiguous input plus one for the output, reused by every call.
 */
export class Staging {
  private base = 0;
  private slots = 0;
  private view: Float32Array;
  private block: StorageArray | undefined;

  constructor(
    private readonly memory: WasmMemory,
    private readonly heap: WasmHeap | undefined,
  ) {
    this.view = new Float32Array(memory.buffer);
  }

  /** The heap view and the byte address of slot 0, with room for `slots` slots. */
  ensure(slots: number): { heap: Float32Array; base: number } {
    if (slots > this.slots) {
      if (this.heap !== undefined) {
        if (this.block !== undefined) this.heap.free(this.block);
        this.block = this.heap.alloc("float32", slots * CHUNK);
        if (this.block === undefined) throw new Error("the WebAssembly heap is full");
        this.base = this.block.byteOffset;
      } else {
        const pages = (slots * CHUNK_BYTES) / PAGE_BYTES;
        const have = this.memory.buffer.byteLength / PAGE_BYTES;
        if (have < pages) this.memory.grow(pages - have);
      }
      this.slots = slots;
    }
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return { heap: this.view, base: this.base };
  }
}
