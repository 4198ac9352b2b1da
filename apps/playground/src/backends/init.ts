import { getBackend, initBackends, listBackends } from "@nnkit/core";
import { CpuBackend } from "@nnkit/kernels-cpu";
// Registers "webgpu" on navigator.gpu (priority above the CPU); nothing starts until initBackends().
import "@nnkit/kernels-webgpu";

/** What the page shows about one backend. */
export interface BackendStatus {
  readonly name: string;
  readonly initialized: boolean;
  /** The registry's choice when the page loaded (the highest priority that initialised). */
  readonly isDefault: boolean;
  /** Why it did not initialise (or why it stopped working: a lost device). */
  readonly error?: string;
  /** How it computes, as the registry describes it (the GPU adapter, for WebGPU). */
  readonly description?: string;
}

/** Hints for the usual reasons a browser has no WebGPU, added to the library's message. */
function webgpuHint(): string | undefined {
  if (!window.isSecureContext) {
    return "this page is not a secure context (WebGPU needs https or localhost)";
  }
  if (!("gpu" in navigator)) {
    return "this browser has no navigator.gpu: WebGPU is off or unsupported here";
  }
  return "the browser offers WebGPU but no usable adapter: the GPU or its driver may be blocked (Chromium on Linux needs --enable-unsafe-webgpu)";
}

/** The status of every registered backend, read from the registry. */
export function backendStatuses(): BackendStatus[] {
  return listBackends().map((b) => {
    const hint = b.name === "webgpu" && !b.initialized ? webgpuHint() : undefined;
    const error = b.error !== undefined && hint ? `${b.error} (${hint})` : b.error;
    return {
      name: b.name,
      initialized: b.initialized && b.error === undefined,
      isDefault: b.isDefault,
      ...(error !== undefined ? { error } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
    };
  });
}

/** Initialises every backend; resolves to the registry's default and the statuses. */
export async function startBackends(): Promise<{ best: string; statuses: BackendStatus[] }> {
  const best = await initBackends();
  // The CPU's worker threads would otherwise start at the first large kernel, which then runs
  // on one thread: start them now, while the page loads (they stay idle until needed).
  const cpu = getBackend("cpu", "startBackends");
  if (cpu instanceof CpuBackend) await cpu.startThreads();
  return { best, statuses: backendStatuses() };
}

/**
 * WebGPU buffers the page holds now (undefined without WebGPU). Everything the page computes is
 * disposed once read, so this is 0 whenever the page is idle; the test checks that.
 */
export function liveGpuBuffers(): number | undefined {
  return listBackends().find((b) => b.name === "webgpu")?.liveBuffers;
}

/** How the CPU backend runs now: where arrays live and how many kernels went to worker threads. */
export interface CpuStatus {
  readonly storage: "heap" | "javascript";
  readonly workerThreads: number;
  readonly threadedRuns: number;
  readonly singleThreadReason?: string;
}

export function cpuStatus(): CpuStatus | undefined {
  const cpu = getBackend("cpu", "cpuStatus");
  if (!(cpu instanceof CpuBackend)) return undefined;
  const why = cpu.singleThreadReason;
  return {
    storage: cpu.storage,
    workerThreads: cpu.workerThreads,
    threadedRuns: cpu.elementwiseRuns.threaded + cpu.rowRuns.threaded,
    ...(why !== undefined ? { singleThreadReason: why } : {}),
  };
}

/** Names of the backends that can compute now. */
export function usableBackends(statuses: readonly BackendStatus[]): string[] {
  return statuses.filter((s) => s.initialized).map((s) => s.name);
}
