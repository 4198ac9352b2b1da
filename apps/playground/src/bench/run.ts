import * as mx from "@nnkit/core";
import { completeParams, findFunction, worksAlongAxis } from "../catalog/functions.js";
import { withDevice } from "../compute/device-lock.js";
import { ArrayScope } from "../compute/scope.js";
import { trackedParams } from "../compute/tracked-params.js";

/** One measured size on one backend. */
export interface BenchPoint {
  readonly backend: string;
  readonly log2Size: number;
  /** Elements of the input. */
  readonly size: number;
  /** Timed repetitions and their total time. */
  readonly reps: number;
  readonly seconds: number;
  /** Bytes read and written by one call: input plus output. */
  readonly bytes: number;
  readonly gbPerSecond: number;
}

export interface BenchOptions {
  readonly fn: string;
  readonly fromLog2: number;
  readonly toLog2: number;
  readonly backends: readonly string[];
  /** Time to spend per size (after one warm-up call), at least MIN_REPS calls. */
  readonly secondsPerSize: number;
  readonly signal: AbortSignal;
  /** Called before each size starts (done of total) and after it with its point. */
  readonly onProgress: (done: number, total: number, current: string, point?: BenchPoint) => void;
}

/** Row length for functions that work along an axis: they run on (size / 1024) × 1024. */
export const BENCH_ROW = 1024;
const MIN_REPS = 3;
const MAX_REPS = 200;

export class BenchCancelled extends Error {
  constructor() {
    super("benchmark cancelled");
  }
}

/** Lets the page repaint (progress bar) and handle clicks (cancel) between measurements. */
const nextFrame = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Waits until everything queued on the device has finished: reads one element of `y`. Reads
 * are ordered after all earlier GPU work, so this is the end of the timed calls; on the CPU
 * evaluation is already complete. The cost of reading 4 bytes is part of the measurement.
 */
async function drain(scope: ArrayScope, y: mx.Array): Promise<void> {
  const parts = scope.track(mx.split(scope.track(y.reshape([-1])), [1]));
  await (parts[0] as mx.Array).data();
}

/** Times `fn` on one backend and size: one warm-up call, then enough calls to fill the time. */
async function measure(
  backend: string,
  log2Size: number,
  /** Makes the function for one measurement, tracking any arrays it needs in `scope`. */
  prepare: (scope: ArrayScope) => (x: mx.Array) => mx.Array,
  rowwise: boolean,
  secondsPerSize: number,
  signal: AbortSignal,
): Promise<BenchPoint> {
  const size = 2 ** log2Size;
  return withDevice(backend, async () => {
    const scope = new ArrayScope();
    try {
      const shape = rowwise ? [size / BENCH_ROW, BENCH_ROW] : [size];
      const key = scope.track(mx.random.key(log2Size));
      const x = scope.track(mx.random.uniform(-4, 4, shape, "float32", key));
      await mx.evaluate(x);
      const apply = prepare(scope);
      // Warm-up: compiles the kernel and fills the buffer pool; also times one call.
      const t0 = performance.now();
      const first = scope.track(apply(x));
      await mx.evaluate(first);
      await drain(scope, first);
      const once = Math.max((performance.now() - t0) / 1000, 1e-6);
      const bytes = x.size * 4 + first.size * (first.dtype === "float16" ? 2 : 4);
      const reps = Math.min(MAX_REPS, Math.max(MIN_REPS, Math.ceil(secondsPerSize / once)));

      const start = performance.now();
      let last: mx.Array | undefined;
      for (let i = 0; i < reps; i++) {
        if (signal.aborted) throw new BenchCancelled();
        // Tracked at once so a cancel frees it; the previous result is freed early to keep
        // GPU memory flat (disposing twice is harmless).
        const y = scope.track(apply(x));
        await mx.evaluate(y);
        last?.dispose();
        last = y;
      }
      if (last) await drain(scope, last);
      const seconds = (performance.now() - start) / 1000;
      return {
        backend,
        log2Size,
        size,
        reps,
        seconds,
        bytes,
        gbPerSecond: (reps * bytes) / seconds / 1e9,
      };
    } finally {
      scope.dispose();
    }
  });
}

/**
 * Runs `fn` (with its default parameters) over sizes 2^fromLog2 … 2^toLog2 on each backend,
 * reporting throughput as bytes moved (input read + output written) per second. Resolves to
 * every point measured; rejects with BenchCancelled when `signal` aborts (points measured so far
 * were already reported through onProgress).
 */
export async function runBenchmark(o: BenchOptions): Promise<BenchPoint[]> {
  const info = findFunction(o.fn);
  if (!info) throw new Error(`unknown function ${o.fn}`);
  const params = completeParams(info, {});
  const prepare = (scope: ArrayScope) => {
    const args = trackedParams(scope, info, params);
    return (x: mx.Array) => info.apply(x, args);
  };
  const rowwise = worksAlongAxis(info);
  const tasks = o.backends.flatMap((backend) =>
    Array.from({ length: o.toLog2 - o.fromLog2 + 1 }, (_, i) => ({
      backend,
      log2Size: o.fromLog2 + i,
    })),
  );
  const points: BenchPoint[] = [];
  for (const [i, t] of tasks.entries()) {
    if (o.signal.aborted) throw new BenchCancelled();
    o.onProgress(i, tasks.length, `${t.backend} 2^${t.log2Size}`);
    await nextFrame();
    const point = await measure(
      t.backend,
      t.log2Size,
      prepare,
      rowwise,
      o.secondsPerSize,
      o.signal,
    );
    points.push(point);
    o.onProgress(i + 1, tasks.length, `${t.backend} 2^${t.log2Size}`, point);
  }
  return points;
}
