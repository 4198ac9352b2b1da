import type { Workload } from "./contestant.js";

export interface MeasureOptions {
  /** Untimed calls before timing (the first compiles kernels and fills caches). */
  readonly warmup: number;
  /**
   * Short calls keep warming up until this much time has passed (so the JIT has settled);
   * long calls stop warming up once past warmupMaxMs (at least one call is always made).
   */
  readonly warmupMs: number;
  readonly warmupMaxMs: number;
  /** Timed samples per contestant. */
  readonly runs: number;
  /** Fewest samples for a slow contestant (see budgetMs). */
  readonly minRuns: number;
  /** A contestant whose runs would take longer than this gets fewer (not under minRuns). */
  readonly budgetMs: number;
  /** Calls too short for the clock are batched until one sample takes at least this long. */
  readonly minSampleMs: number;
  /** The most calls in one sample. */
  readonly maxBatch: number;
}

/** One contestant's times for one case, in ms per call. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Each sample's time per call. */
  readonly samplesMs: readonly number[];
  /** Calls per sample. */
  readonly batch: number;
  /** "wall" (performance.now around the calls) or "runtime" (the runtime's own per-call times). */
  readonly clock: "wall" | "runtime";
}

export interface Slot {
  readonly id: string;
  readonly workload: Workload;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** A contestant whose call threw: it is reported with the error instead of times. */
export interface Failed {
  readonly failed: string;
}

interface Plan {
  readonly slot: Slot;
  /** Untimed calls made before the samples. */
  readonly warmCalls: number;
  readonly batch: number;
  readonly runs: number;
  readonly samples: number[];
  failed?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function timeCalls(w: Workload, calls: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await w.run();
  return performance.now() - t0;
}

/**
 * Times every slot on the same case. After the warm-up, samples are taken round by round, one
 * per contestant per round, and each round starts one contestant later than the last, so slow
 * drift of the machine (heat, other load, the garbage collector's state) falls on all of them
 * alike instead of on whoever runs last.
 */
export async function measureInterleaved(
  slots: readonly Slot[],
  o: MeasureOptions,
): Promise<Map<string, Timing | Failed>> {
  const plans: Plan[] = [];
  const out = new Map<string, Timing | Failed>();
  for (const slot of slots) {
    // The fastest warm-up call sizes the batches: one slow call (a GC pause) must not shrink
    // a batch of microsecond calls to 1, where every sample would time a cold call.
    let fastest = Number.POSITIVE_INFINITY;
    let calls = 0;
    let spent = 0;
    try {
      do {
        const t = await timeCalls(slot.workload, 1);
        fastest = Math.min(fastest, t);
        calls++;
        spent += t;
      } while ((calls < o.warmup || spent < o.warmupMs) && spent < o.warmupMaxMs);
    } catch (e) {
      out.set(slot.id, { failed: message(e) });
      continue;
    }
    const per = Math.max(fastest, 1e-3);
    const batch = per >= o.minSampleMs ? 1 : Math.min(o.maxBatch, Math.ceil(o.minSampleMs / per));
    const affordable = Math.floor(o.budgetMs / (per * batch));
    const runs = Math.max(o.minRuns, Math.min(o.runs, affordable));
    plans.push({ slot, warmCalls: calls, batch, runs, samples: [] });
  }
  const rounds = Math.max(0, ...plans.map((p) => p.runs));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < plans.length; k++) {
      const p = plans[(r + k) % plans.length] as Plan;
      if (p.failed || p.samples.length >= p.runs) continue;
      try {
        // A sample of one long call starts from a collected heap (with --expose-gc): a
        // contestant that leaves garbage (ORT's 64 MB outputs) must not have it collected
        // inside the next one's sample. Batched short calls skip it: their garbage is small, and
        // a full collection per sample (tens of ms with every library loaded) would dominate.
        if (p.batch === 1) (globalThis as { gc?: () => void }).gc?.();
        p.samples.push((await timeCalls(p.slot.workload, p.batch)) / p.batch);
      } catch (e) {
        p.failed = message(e);
      }
    }
  }

  for (const p of plans) {
    if (p.failed) {
      out.set(p.slot.id, { failed: p.failed });
      continue;
    }
    let samples = p.samples;
    let clock: Timing["clock"] = "wall";
    const reported = await p.slot.workload.reportedTimes?.();
    if (reported) {
      // Calls in order: the warm-up calls, then `runs` samples of `batch` calls each.
      const warm = p.warmCalls;
      const expected = warm + p.runs * p.batch;
      if (reported.length < expected) {
        throw new Error(`${p.slot.id}: runtime reported ${reported.length} calls, ran ${expected}`);
      }
      samples = [];
      for (let s = 0; s < p.runs; s++) {
        const part = reported.slice(warm + s * p.batch, warm + (s + 1) * p.batch);
        samples.push(part.reduce((a, b) => a + b, 0) / p.batch);
      }
      clock = "runtime";
    }
    out.set(p.slot.id, {
      medianMs: median(samples),
      minMs: Math.min(...samples),
      maxMs: Math.max(...samples),
      samplesMs: samples,
      batch: p.batch,
      clock,
    });
  }
  return out;
}
