/**
 * The control block shared by the main thread and the kernel workers: an Int32Array over a
 * SharedArrayBuffer. The main thread writes a job (kernel id, argument count, byte length) and
 * the arguments, sets PENDING to the number of workers and bumps GENERATION; each worker runs
 * its slice, records the generation in its DONE slot and decrements PENDING. ACK slots hold how
 * many kernels a worker has instantiated, so a job only goes to workers that have its kernel.
 */
export const Slot = {
  GENERATION: 0,
  PENDING: 1,
  KERNEL: 2,
  ARGC: 3,
  ITEMS: 4,
  /** Bytes every pointer argument advances per item (16 for vectors, a row's bytes for rows). */
  ITEM_BYTES: 7,
  PARTS: 5,
  /** Never written: the main thread probes whether it may block with Atomics.wait on it. */
  PROBE: 6,
  /** ACK + w: kernels worker w has instantiated. */
  ACK: 16,
} as const;

/** At most this many workers (8 slots of ACK, 8 of DONE). */
export const MAX_WORKERS = 8;

/** DONE + w: the last generation worker w finished. */
export const DONE = Slot.ACK + MAX_WORKERS;

export const CONTROL_INTS = DONE + MAX_WORKERS;

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
    };

/**
 * The items [start, end) of a job's part `p` of `parts` (items are whole vectors or rows), as
 * even as possible. Part 0 runs on the calling thread.
 */
export function partRange(items: number, p: number, parts: number): [number, number] {
  return [Math.floor((items * p) / parts), Math.floor((items * (p + 1)) / parts)];
}
