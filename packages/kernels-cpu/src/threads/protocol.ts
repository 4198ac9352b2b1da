/**
 * The control block shared by the main thread and the kernel workers: an Int32Array over a
 * SharedArrayBuffer. A job is a kernel run over `ITEMS` items (16-byte vectors, or rows) cut
 * into `CHUNKS` chunks of `CHUNK_ITEMS`. The main thread writes the job and its arguments,
 * publishes it in CLAIM (its generation in the high bits, the next unclaimed chunk in the low
 * 20), rings GENERATION and starts claiming chunks itself; every worker that wakes claims chunks
 * too (compare-and-swap on CLAIM, so a chunk runs once) and counts each finished one in
 * DONE_CHUNKS. The caller returns when DONE_CHUNKS reaches CHUNKS. A worker that wakes late finds
 * nothing left and goes back to sleep: threads never make a call slower than one thread would.
 * A claim carries the job's generation, so a worker still holding an older job's arguments can
 * never claim a chunk of a newer one. ACK slots hold how many kernels a worker has instantiated.
 */
export const Slot = {
  /** Bumped (and notified) for every job: what sleeping workers wait on. */
  GENERATION: 0,
  CLAIM: 1,
  KERNEL: 2,
  ARGC: 3,
  ITEMS: 4,
  CHUNKS: 5,
  /** Never written: the main thread probes whether it may block with Atomics.wait on it. */
  PROBE: 6,
  /** Bytes every pointer argument advances per item (16 for vectors, a row's bytes for rows). */
  ITEM_BYTES: 7,
  CHUNK_ITEMS: 8,
  DONE_CHUNKS: 9,
  /** ACK + w: kernels worker w has instantiated. */
  ACK: 16,
} as const;

/** At most this many workers (one ACK slot each). */
export const MAX_WORKERS = 8;

export const CONTROL_INTS = Slot.ACK + MAX_WORKERS;

/** CLAIM's low bits count chunks: at most 2^20 chunks a job. */
export const CHUNK_BITS = 20;
/** Generations wrap at 2^11, so a CLAIM word stays a non-negative int32. */
export const GENERATIONS = 2 ** 11;

/** Kernel arguments (i32 pointers and f64 values alike travel as float64). */
export const MAX_ARGS = 256;

/** Messages to a worker. */
export type WorkerMessage =
  | {
      readonly type: "init";
      readonly index: number;
      readonly memory: unknown;
      readonly control: SharedArrayBuffer;
      readonly args: SharedArrayBuffer;
      /** Node: the port kernels arrive on, drained synchronously by the blocked worker. */
      readonly mail?: unknown;
    }
  | {
      readonly type: "kernel";
      readonly id: number;
      readonly module: unknown;
      readonly pointers: readonly number[];
      readonly lengthArg: number;
      readonly lengthPerItem: number;
      readonly threadArg?: number;
      readonly entry?: string;
    };

/**
 * Claims the next chunk of job `generation`: its index, or -1 when none is left or a newer job
 * has replaced it. Used by the main thread and, as source text, by the workers, so it names its
 * slots by number (CLAIM = 1, CHUNKS = 5, 20 chunk bits; test/threads.test.ts checks they match).
 */
export function claimChunk(control: Int32Array, generation: number): number {
  for (;;) {
    const word = Atomics.load(control, 1);
    if (word >>> 20 !== generation) return -1;
    const next = word & 0xfffff;
    if (next >= Atomics.load(control, 5)) return -1;
    if (Atomics.compareExchange(control, 1, word, word + 1) === word) return next;
  }
}
