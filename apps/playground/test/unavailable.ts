import { describe, it } from "vitest";

/**
 * Start of the name of every test skipped because WebGPU (here: Chromium) is unavailable;
 * scripts/run-tests.mjs lists such skips and fails CI on them. The same convention as
 * packages/conformance/src/unavailable.ts, which the packages' tests share; the app does not
 * depend on that test-only package, so these few lines are repeated here.
 */
export const WEBGPU_UNAVAILABLE = "WebGPU unavailable";

/** Registers one visibly skipped test that says why the browser tests could not run. */
export function describeUnavailable(title: string, reason: string): void {
  describe(title, () => {
    it.skip(`${WEBGPU_UNAVAILABLE}: ${reason}`, () => {});
  });
}
