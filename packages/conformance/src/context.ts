import { getDefaultDevice, setDefaultDevice } from "@nnkit/core";
import { afterAll, beforeAll } from "vitest";

/** What a backend package tells the suite about itself. */
export interface SuiteOptions {
  /** Registered backend name to run on, e.g. "cpu" or "webgpu". */
  readonly backend: string;
  /** Whether the backend can read synchronously (`dataSync`, `tolist`, printing): true for the CPU. */
  readonly canReadSync: boolean;
  /** Largest error allowed for transcendental ops on float32, in ulps (the CPU promises 1). */
  readonly maxUlpFloat32?: number;
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
