import { describeValue, NnkitError } from "../errors.js";
import type { Backend, BackendFactory } from "./backend.js";

export interface BackendInfo {
  readonly name: string;
  readonly priority: number;
  readonly initialized: boolean;
  /** Why initialisation failed, if it did (or why an initialised backend stopped working). */
  readonly error?: string;
  readonly isDefault: boolean;
  /** What an initialised backend runs on, where it says (a WebGPU adapter's description). */
  readonly description?: string;
  /** Buffers an initialised backend holds now (allocated and not yet released). */
  readonly liveBuffers?: number;
}

interface Entry {
  name: string;
  factory: BackendFactory;
  priority: number;
  backend?: Backend;
  pending?: Promise<Backend>;
  error?: string;
}

const entries = new Map<string, Entry>();
let defaultName: string | undefined;

/**
 * Registers a backend. Kernel packages call this when imported; registering does not
 * initialise. The highest-priority backend that initialises becomes the default.
 */
export function registerBackend(
  name: string,
  factory: BackendFactory,
  options: { priority?: number } = {},
): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new NnkitError(
      "registerBackend",
      `name must be a non-empty string; got ${describeValue(name)}`,
    );
  }
  if (typeof factory !== "function") {
    throw new NnkitError(
      "registerBackend",
      `factory must be a function; got ${describeValue(factory)}`,
    );
  }
  const previous = entries.get(name);
  if (previous?.backend) return; // already initialised; re-importing a package is harmless
  entries.set(name, { name, factory, priority: options.priority ?? 0 });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function initSync(entry: Entry): Backend | undefined {
  if (entry.backend) return entry.backend;
  if (entry.error !== undefined || entry.pending) return undefined;
  try {
    const made = entry.factory();
    if (made instanceof Promise) {
      entry.pending = made;
      made.then(
        (b) => {
          entry.backend = b;
          entry.pending = undefined;
        },
        (e: unknown) => {
          entry.error = errorText(e);
          entry.pending = undefined;
        },
      );
      return undefined;
    }
    entry.backend = made;
    return made;
  } catch (e) {
    entry.error = errorText(e);
    return undefined;
  }
}

async function initAsync(entry: Entry): Promise<Backend | undefined> {
  if (entry.backend) return entry.backend;
  if (entry.error !== undefined) return undefined;
  try {
    entry.pending ??= Promise.resolve(entry.factory());
    entry.backend = await entry.pending;
    return entry.backend;
  } catch (e) {
    entry.error = errorText(e);
    return undefined;
  } finally {
    entry.pending = undefined;
  }
}

function byPriority(): Entry[] {
  return [...entries.values()].sort((a, b) => b.priority - a.priority);
}

/**
 * Initialises every registered backend (awaiting asynchronous ones such as WebGPU) and, unless
 * the user chose one, makes the highest-priority one that initialised the default.
 */
export async function initBackends(): Promise<string> {
  const ordered = byPriority();
  await Promise.all(ordered.map(initAsync));
  if (defaultName === undefined) {
    const best = ordered.find((e) => e.backend);
    if (!best) throw noBackendError("initBackends");
    defaultName = best.name;
  }
  return defaultName;
}

function noBackendError(fn: string): NnkitError {
  const tried = byPriority()
    .map((e) => `${e.name}${e.error !== undefined ? ` (${e.error})` : ""}`)
    .join(", ");
  return new NnkitError(
    fn,
    tried.length > 0
      ? `no backend could be initialised synchronously; tried ${tried}. Await setDefaultDevice(name) or initBackends() first`
      : 'no backend is registered; import one, e.g. import "@nnkit/kernels-cpu"',
  );
}

/** Makes `name` the default device, initialising it first (which may be asynchronous). */
export async function setDefaultDevice(name: string): Promise<void> {
  const entry = entries.get(name);
  if (!entry) {
    const known = [...entries.keys()];
    throw new NnkitError(
      "setDefaultDevice",
      `no backend named ${describeValue(name)} is registered (registered: ${known.length > 0 ? known.join(", ") : "none"})`,
    );
  }
  const backend = await initAsync(entry);
  if (!backend) {
    throw new NnkitError(
      "setDefaultDevice",
      `backend "${name}" failed to initialise: ${entry.error}`,
    );
  }
  defaultName = name;
}

/**
 * The default device's name. If none was chosen, picks the highest-priority backend that
 * initialises synchronously (asynchronous ones need `await initBackends()`).
 */
export function getDefaultDevice(): string {
  if (defaultName !== undefined) return defaultName;
  for (const entry of byPriority()) {
    if (initSync(entry)) {
      defaultName = entry.name;
      return entry.name;
    }
  }
  throw noBackendError("getDefaultDevice");
}

/** The initialised backend called `name`, initialising it synchronously if it can. */
export function getBackend(name: string, fn = "getBackend"): Backend {
  const entry = entries.get(name);
  if (!entry) throw new NnkitError(fn, `no backend named ${describeValue(name)} is registered`);
  const backend = initSync(entry);
  if (backend) return backend;
  throw new NnkitError(
    fn,
    entry.error !== undefined
      ? `backend "${name}" failed to initialise: ${entry.error}`
      : `backend "${name}" initialises asynchronously; await setDefaultDevice("${name}") or initBackends() first`,
  );
}

export function listBackends(): BackendInfo[] {
  return byPriority().map((e) => ({
    name: e.name,
    priority: e.priority,
    initialized: e.backend !== undefined,
    ...(e.error !== undefined
      ? { error: e.error }
      : e.backend?.failure !== undefined
        ? { error: e.backend.failure }
        : {}),
    isDefault: e.name === defaultName,
    ...(e.backend?.description !== undefined ? { description: e.backend.description } : {}),
    ...(e.backend ? { liveBuffers: e.backend.liveBuffers() } : {}),
  }));
}

/** Initialised backends, for statistics. */
export function initializedBackends(): Backend[] {
  return [...entries.values()].flatMap((e) => (e.backend ? [e.backend] : []));
}
