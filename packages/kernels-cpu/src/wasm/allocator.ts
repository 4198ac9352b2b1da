/** Every block starts on, and spans a multiple of, 16 bytes: one SIMD vector. */
export const BLOCK_ALIGN = 16;

/** `bytes` rounded up to whole vectors (at least one). */
export function blockSize(bytes: number): number {
  return Math.max(BLOCK_ALIGN, Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN);
}

/**
 * Hands out byte ranges of one growing address space (the WebAssembly heap): free blocks are
 * reused by exact size first (a model's arrays repeat the same sizes), then first fit with
 * splitting, then from the top. Freed blocks merge with free neighbours, and a free block that
 * reaches the top lowers it, so memory freed in any order becomes one range again.
 *
 * Blocks are whole vectors, so a SIMD kernel may read or write the padding lanes past an
 * array's last element without touching another array.
 */
export class BlockAllocator {
  private top: number;
  private readonly freeByStart = new Map<number, number>();
  private readonly freeByEnd = new Map<number, number>();
  private readonly freeBySize = new Map<number, Set<number>>();
  private readonly used = new Map<number, number>();
  private usedTotal = 0;

  /**
   * @param base first usable byte (below it: nothing is handed out)
   * @param ensure makes [0, end) addressable (grows the memory); false when it cannot
   */
  constructor(
    base: number,
    private readonly ensure: (end: number) => boolean,
  ) {
    this.top = Math.ceil(base / BLOCK_ALIGN) * BLOCK_ALIGN;
  }

  /** Bytes in blocks handed out and not yet freed. */
  get usedBytes(): number {
    return this.usedTotal;
  }

  /** The end of the highest block ever in use (what the memory must hold). */
  get topBytes(): number {
    return this.top;
  }

  /** The start of a block of at least `bytes`, or undefined when the memory cannot grow. */
  alloc(bytes: number): number | undefined {
    const size = blockSize(bytes);
    const start = this.takeFree(size) ?? this.takeTop(size);
    if (start === undefined) return undefined;
    this.used.set(start, size);
    this.usedTotal += size;
    return start;
  }

  /** Returns a block from `alloc`. Freeing anything else is a bug and throws. */
  free(start: number): void {
    const size = this.used.get(start);
    if (size === undefined) throw new Error(`internal: heap block at ${start} is not in use`);
    this.used.delete(start);
    this.usedTotal -= size;
    let from = start;
    let to = start + size;
    const before = this.freeByEnd.get(from);
    if (before !== undefined) {
      this.removeFree(before, from - before);
      from = before;
    }
    const afterSize = this.freeByStart.get(to);
    if (afterSize !== undefined) {
      this.removeFree(to, afterSize);
      to += afterSize;
    }
    if (to === this.top) this.top = from;
    else this.addFree(from, to - from);
  }

  private takeFree(size: number): number | undefined {
    const exact = this.freeBySize.get(size);
    if (exact !== undefined) {
      const start = exact.values().next().value as number;
      this.removeFree(start, size);
      return start;
    }
    for (const [start, have] of this.freeByStart) {
      if (have < size) continue;
      this.removeFree(start, have);
      this.addFree(start + size, have - size);
      return start;
    }
    return undefined;
  }

  private takeTop(size: number): number | undefined {
    const start = this.top;
    // One vector of slack past the top: a kernel reading a view's padding lanes stays in memory.
    if (!this.ensure(start + size + BLOCK_ALIGN)) return undefined;
    this.top = start + size;
    return start;
  }

  private addFree(start: number, size: number): void {
    this.freeByStart.set(start, size);
    this.freeByEnd.set(start + size, start);
    let set = this.freeBySize.get(size);
    if (set === undefined) {
      set = new Set();
      this.freeBySize.set(size, set);
    }
    set.add(start);
  }

  private removeFree(start: number, size: number): void {
    this.freeByStart.delete(start);
    this.freeByEnd.delete(start + size);
    const set = this.freeBySize.get(size);
    set?.delete(start);
    if (set?.size === 0) this.freeBySize.delete(size);
  }
}
