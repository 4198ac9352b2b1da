import type { WasmMemory } from "../wasm/api.js";
import {
  CHUNK_BITS,
  CONTROL_INTS,
  claimChunk,
  GENERATIONS,
  MAX_ARGS,
  MAX_WORKERS,
  Slot,
  type WorkerMessage,
} from "./protocol.js";
import { workerSource } from "./worker-source.js";

/**
 * How a kernel's arguments change for a slice [start, end) of a job's items (16-byte vectors
 * for elementwise kernels, rows for row kernels).
 */
export interface SliceableKernel {
  /** Argument positions holding byte pointers, each advancing the job's item size per item. */
  readonly pointers: readonly number[];
  /** Argument position of the slice's length, which is (end − start) · lengthPerItem. */
  readonly lengthArg: number;
  readonly lengthPerItem: number;
  /**
   * Argument position that receives the running thread's slot: 0 on the calling thread, 1 + i
   * on worker i (for kernels with per-thread scratch memory; others leave it undefined).
   */
  readonly threadArg?: number;
  /** The module's export to run (default "kernel"). */
  readonly entry?: string;
}

/**
 * How long the calling thread polls for the workers' parts before sleeping: they end about when
 * its own part does, and polling briefly is cheaper than a wake-up.
 */
const MAIN_SPIN_MS = 0.1;

/** A started worker: kernels go to it through `send`. */
interface WorkerHandle {
  send(message: KernelMessage): void;
  terminate(): unknown;
}

type KernelMessage = Extract<WorkerMessage, { type: "kernel" }>;
type InitMessage = Extract<WorkerMessage, { type: "init" }>;

type SpawnWorker = (
  source: string,
  init: InitMessage,
  onFailure: (why: string) => void,
) => WorkerHandle;

/** A worker whose chunk is not done after this long is given up on (the job reruns here). */
const STALL_MS = 10_000;

/** About this many bytes of each array per chunk: small enough to share, large enough to amortise a claim. */
const CHUNK_BYTES = 65536;

interface NodeWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  unref(): void;
  on(event: string, fn: (e: unknown) => void): void;
  terminate(): unknown;
}
interface NodeThreads {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
  MessageChannel: new () => {
    port1: { postMessage(message: unknown): void; unref?(): void };
    port2: unknown;
  };
}

/**
 * Node: kernels travel on a MessagePort the worker drains synchronously (it blocks in
 * Atomics.wait between jobs); after each, GENERATION is rung so a sleeping worker picks it up.
 */
function nodeSpawner(threads: NodeThreads): SpawnWorker {
  return (source, init, onFailure) => {
    const w = new threads.Worker(source, { eval: true });
    // Idle workers must not keep the process alive.
    w.unref();
    w.on("error", (e) => onFailure(e instanceof Error ? e.message : String(e)));
    w.on("exit", (code) => onFailure(`a worker exited (code ${String(code)})`));
    const channel = new threads.MessageChannel();
    channel.port1.unref?.();
    w.postMessage({ ...init, mail: channel.port2 }, [channel.port2]);
    const control = new Int32Array(init.control);
    return {
      send(message) {
        channel.port1.postMessage(message);
        Atomics.notify(control, Slot.GENERATION);
      },
      terminate: () => w.terminate(),
    };
  };
}

/** How this environment starts workers and how many cores it has, or why it cannot. */
async function workerPlatform(): Promise<{ spawn: SpawnWorker; cores: number } | string> {
  const g = globalThis as {
    process?: { versions?: { node?: string } };
    Worker?: new (
      url: string,
    ) => {
      postMessage(message: unknown): void;
      terminate(): unknown;
      addEventListener(type: string, fn: (e: { message?: string }) => void): void;
    };
    navigator?: { hardwareConcurrency?: number };
    Blob?: new (parts: string[], options: { type: string }) => unknown;
    URL?: { createObjectURL(blob: unknown): string };
  };
  if (g.process?.versions?.node !== undefined) {
    // Variable specifiers: browser bundlers must not try to resolve Node's modules.
    const threadsModule = "node:worker_threads";
    const osModule = "node:os";
    const threads = (await import(/* @vite-ignore */ threadsModule)) as NodeThreads;
    const os = (await import(/* @vite-ignore */ osModule)) as {
      availableParallelism?: () => number;
      cpus(): unknown[];
    };
    return { spawn: nodeSpawner(threads), cores: os.availableParallelism?.() ?? os.cpus().length };
  }
  if (typeof (Atomics as { waitAsync?: unknown }).waitAsync !== "function") {
    return "Atomics.waitAsync is not available";
  }
  const WorkerCtor = g.Worker;
  const BlobCtor = g.Blob;
  const url = g.URL;
  if (WorkerCtor === undefined || BlobCtor === undefined || url === undefined) {
    return "no Worker here";
  }
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  const spawn: SpawnWorker = (source, init, onFailure) => {
    const w = new WorkerCtor(
      url.createObjectURL(new BlobCtor([source], { type: "text/javascript" })),
    );
    w.addEventListener("error", (e) => onFailure(e.message ?? "a worker failed"));
    w.postMessage(init);
    return { send: (message) => w.postMessage(message), terminate: () => w.terminate() };
  };
  return { spawn, cores };
}

/** Whether this thread may block in Atomics.wait (browsers forbid it on the main thread). */
function mayBlock(control: Int32Array): boolean {
  try {
    Atomics.wait(control, Slot.PROBE, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads that run SIMD kernels over chunks of one job, on the shared heap memory. The
 * calling thread claims chunks too and returns when all are done, so a kernel call stays
 * synchronous. Workers start on first use, in the background; until one has instantiated a
 * kernel, that kernel runs on the calling thread alone. Any failure (no workers here, a worker
 * that dies or stalls) leaves the pool broken and everything on one thread, with the same
 * results: a stalled job is recomputed by the calling thread.
 */
export class ThreadPool {
  private readonly control = new Int32Array(
    new SharedArrayBuffer(CONTROL_INTS * Int32Array.BYTES_PER_ELEMENT),
  );
  private readonly args = new Float64Array(
    new SharedArrayBuffer(MAX_ARGS * Float64Array.BYTES_PER_ELEMENT),
  );
  private readonly workers: WorkerHandle[] = [];
  private readonly kernels: { module: unknown; slicing: SliceableKernel }[] = [];
  private readonly canBlock: boolean;
  private starting: Promise<void> | undefined;
  private generation = 0;
  private failure: string | undefined;

  /**
   * @param memory the shared heap the kernels use
   * @param threads threads to use in all, the calling one included ("auto": one per core)
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly threads: number | "auto",
  ) {
    this.canBlock = mayBlock(this.control);
  }

  /** Workers running (not counting the calling thread). */
  get workerCount(): number {
    return this.failure === undefined ? this.workers.length : 0;
  }

  /** Thread slots a job's chunks may run on: the calling thread (0) and each worker (1 + i). */
  get threadSlots(): number {
    return this.workers.length + 1;
  }

  /** Why the pool runs everything on the calling thread, if it does. */
  get brokenReason(): string | undefined {
    return this.failure;
  }

  /** Starts the workers in the background (once). */
  start(): void {
    this.starting ??= this.spawnAll().catch((e: unknown) => {
      this.fail(e instanceof Error ? e.message : String(e));
    });
  }

  /** Resolves once the workers have been started (or the pool has given up). */
  async started(): Promise<void> {
    this.start();
    await this.starting;
  }

  private fail(why: string): void {
    if (this.failure !== undefined) return;
    this.failure = why;
    for (const w of this.workers) w.terminate();
  }

  private async spawnAll(): Promise<void> {
    const platform = await workerPlatform();
    if (this.failure !== undefined) return; // terminated meanwhile
    if (typeof platform === "string") {
      this.fail(platform);
      return;
    }
    const wanted = this.threads === "auto" ? platform.cores : this.threads;
    const count = Math.min(MAX_WORKERS, Math.max(0, Math.floor(wanted) - 1));
    if (count === 0) {
      this.fail("one thread requested or available");
      return;
    }
    const source = workerSource();
    for (let index = 0; index < count; index++) {
      const init: InitMessage = {
        type: "init",
        index,
        memory: this.memory,
        control: this.control.buffer as SharedArrayBuffer,
        args: this.args.buffer as SharedArrayBuffer,
      };
      const w = platform.spawn(source, init, (why) => this.fail(why));
      this.kernels.forEach((k, id) => {
        w.send({ type: "kernel", id, module: k.module, ...k.slicing });
      });
      this.workers.push(w);
    }
  }

  /** Sends a compiled kernel module to every worker; returns its id for `run`. */
  register(module: unknown, slicing: SliceableKernel): number {
    const id = this.kernels.length;
    this.kernels.push({ module, slicing });
    for (const w of this.workers) w.send({ type: "kernel", id, module, ...slicing });
    return id;
  }

  /** Whether some worker can run kernel `id` now (the others skip its jobs). */
  ready(id: number): boolean {
    if (this.failure !== undefined) return false;
    for (let w = 0; w < this.workers.length; w++) {
      if (Atomics.load(this.control, Slot.ACK + w) > id) return true;
    }
    return false;
  }

  /**
   * Runs kernel `id` over `items` of `itemBytes` each, in chunks shared by this thread and
   * whichever workers wake in time (protocol.ts): `call` holds the arguments for the whole
   * range, `local` runs the kernel here.
   */
  run(
    id: number,
    call: number[],
    items: number,
    itemBytes: number,
    local: (call: number[]) => void,
  ): void {
    const slicing = (this.kernels[id] as { slicing: SliceableKernel }).slicing;
    const c = this.control;
    const per = Math.max(1, Math.ceil(CHUNK_BYTES / itemBytes), Math.ceil(items / 2 ** CHUNK_BITS));
    const chunks = Math.ceil(items / per);
    this.args.set(call);
    c[Slot.KERNEL] = id;
    c[Slot.ARGC] = call.length;
    c[Slot.ITEMS] = items;
    c[Slot.ITEM_BYTES] = itemBytes;
    c[Slot.CHUNK_ITEMS] = per;
    c[Slot.CHUNKS] = chunks;
    Atomics.store(c, Slot.DONE_CHUNKS, 0);
    this.generation = (this.generation + 1) % GENERATIONS;
    const generation = this.generation;
    Atomics.store(c, Slot.CLAIM, generation << CHUNK_BITS);
    Atomics.add(c, Slot.GENERATION, 1);
    Atomics.notify(c, Slot.GENERATION);

    const runChunk = (chunk: number) => {
      const start = chunk * per;
      const sliced = call.slice();
      for (const q of slicing.pointers) sliced[q] = (sliced[q] as number) + start * itemBytes;
      sliced[slicing.lengthArg] = (Math.min(items, start + per) - start) * slicing.lengthPerItem;
      if (slicing.threadArg !== undefined) sliced[slicing.threadArg] = 0;
      local(sliced);
    };
    for (let k = claimChunk(c, generation); k >= 0; k = claimChunk(c, generation)) {
      runChunk(k);
      Atomics.add(c, Slot.DONE_CHUNKS, 1);
    }
    if (!this.awaitChunks(chunks)) {
      // A worker claimed a chunk and never finished it: compute everything here (the same
      // values, so a late write from that worker changes nothing) and stop using workers.
      this.fail("a worker did not finish its chunk");
      for (let k = 0; k < chunks; k++) runChunk(k);
    }
  }

  /** Waits until the workers' claimed chunks are done; false after STALL_MS. */
  private awaitChunks(chunks: number): boolean {
    const c = this.control;
    const start = performance.now();
    for (let i = 1; ; i++) {
      const done = Atomics.load(c, Slot.DONE_CHUNKS);
      if (done === chunks) return true;
      if (i % 256 !== 0) continue;
      const waited = performance.now() - start;
      if (waited > STALL_MS) return false;
      // Poll at first (a worker's last chunk ends soon after ours), then sleep where allowed.
      if (waited > MAIN_SPIN_MS && this.canBlock) {
        Atomics.wait(c, Slot.DONE_CHUNKS, done, STALL_MS - waited);
      }
    }
  }

  /** Stops the workers; later jobs run on the calling thread. */
  terminate(): void {
    this.fail("terminated");
  }
}
