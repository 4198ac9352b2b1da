import { getDefaultDevice, setDefaultDevice } from "@nnkit/core";
import { afterAll, beforeAll } from "vitest";
import type { UlpBound } from "./reference/compare.js";

/** What a backend package tells the suite about itself. */
export interface SuiteOptions {
  /** Registered backend name to run on, e.g. "cpu" or "webgpu". */
  readonly backend: string;
  /** Whether the backend can read synchronously (`dataSync`, `tolist`, printing): true for the CPU. */
  readonly canReadSync: boolean;
  /** Largest error allowed for transcendental ops on float32, in ulps (the CPU promises 1). */
  readonly maxUlpFloat32?: number;
  /**
   * A float32 result beyond `maxUlpFloat32` still passes when
   * |got − exact| ≤ relativeTolerance · max(1, |exact|). NaN equals only NaN, an infinity only
   * the infinity of the same sign: neither is ever close to a finite value. Unset (the CPU):
   * the ulp bound alone. WebGPU uses 2^-22, the required accuracy.
   */
  readonly relativeTolerance?: number;
}

/** The float32 bound of `options`: `maxUlp` (default `maxUlpFloat32`, else 1) plus the tolerance. */
export function float32Bound(options: SuiteOptions, maxUlp = options.maxUlpFloat32 ?? 1): UlpBound {
  return options.relativeTolerance !== undefined
    ? { maxUlp, relativeTolerance: options.relativeTolerance }
    : { maxUlp };
}

/** Makes `options.backend` the default device for the suites defined inside the caller's describe. */
export function useBackend(options: SuiteOptions): void {
  let previous: string | undefined;
  beforeAll(async () => {
    try {
      previous = getDefaultDevice();
    } catch {
      previous = undefined;
    }
    await setDefaultDevice(options.backend);
  });
  afterAll(async () => {
    if (previous !== undefined) await setDefaultDevice(previous);
  });
}
