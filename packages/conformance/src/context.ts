import { type DType, getDefaultDevice, NnkitError, setDefaultDevice } from "@nnkit/core";
import { afterAll, beforeAll, expect, it } from "vitest";
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
  /**
   * The dtypes the backend can hold. Unset: all of them. A test that needs another dtype runs
   * anyway and must fail with an NnkitError that names that dtype (see `itWithDtypes`): a
   * backend without float16 raises a clear error, never a wrong result.
   */
  readonly dtypes?: readonly DType[];
  /**
   * Whether float32 subnormal results may come back as zero. WGSL allows an implementation to
   * flush f32 subnormals (SwiftShader does), so WebGPU sets it; such a zero still has to meet
   * the bound above. Unset: a subnormal result must be kept.
   */
  readonly subnormalsMayFlush?: boolean;
}

/** Whether the backend of `options` holds `dtype`. */
export function supportsDtype(options: SuiteOptions, dtype: DType): boolean {
  return options.dtypes === undefined || options.dtypes.includes(dtype);
}

/**
 * A test that uses the given dtypes. Where the backend holds them all it is the plain test.
 * Where it lacks one, the same body runs and must be rejected with an NnkitError whose message
 * names the first missing dtype; the title says so, so the report shows what was checked.
 */
export function itWithDtypes(
  options: SuiteOptions,
  dtypes: readonly DType[],
  title: string,
  body: () => unknown,
): void {
  const missing = dtypes.find((d) => !supportsDtype(options, d));
  if (missing === undefined) {
    it(title, async () => {
      await body();
    });
    return;
  }
  it(`${title} [${missing} is not held by "${options.backend}": a clear error instead]`, async () => {
    let error: unknown;
    try {
      await body();
    } catch (e) {
      error = e;
    }
    expect(error, `the test should fail on ${missing}`).toBeInstanceOf(NnkitError);
    expect((error as Error).message).toContain(missing);
  });
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
