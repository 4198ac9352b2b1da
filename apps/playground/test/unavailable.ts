import { describe, it } from "vitest";

/**
 * Start of the name of every test skipped because WebGPU (here: Chromium) is unavailable;
 * scripts/run-tests.mjs lists such skips and fails CI on them. The same convention as
 * packages/kernels-webgpu/test/dawn.ts (copied, not imported: test files stay in their package).
 */
export const WEBGPU_UNAVAILABLE = "WebGPU unavailable";

/** Registers one visibly skipped test that says why the browser tests could not run. */
export function describeUnavailable(title: string, reason: string): void {
  describe(title, () => {
    it.skip(`${WEBGPU_UNAVAILABLE}: ${reason}`, () => {});
  });
}
