import { initializedBackends } from "./backend/registry.js";

export interface Stats {
  /** Kernels run since the process started, over every backend. */
  readonly kernelLaunches: number;
  /** Kernel launches per backend name. */
  readonly kernelLaunchesByBackend: Readonly<Record<string, number>>;
  /** Device buffers allocated and not yet released, over every initialised backend. */
  readonly liveBuffers: number;
}

const launches = new Map<string, number>();
let total = 0;

/** Called by the evaluator for every primitive a backend runs. */
export function countLaunch(backend: string): void {
  total++;
  launches.set(backend, (launches.get(backend) ?? 0) + 1);
}

/** A snapshot of nnkit's counters; compare two snapshots to measure a piece of work. */
export function getStats(): Stats {
  return {
    kernelLaunches: total,
    kernelLaunchesByBackend: Object.fromEntries(launches),
    liveBuffers: initializedBackends().reduce((n, b) => n + b.liveBuffers(), 0),
  };
}
