import { describe, it } from "vitest";

/**
 * Start of the name of every test skipped because WebGPU (a Dawn adapter, or Chromium) is
 * unavailable. scripts/run-tests.mjs lists such skips and, under CI, counts each as a failure,
 * so every skip for lack of WebGPU must carry it.
 */
export const WEBGPU_UNAVAILABLE = "WebGPU unavailable";

/** Registers one visibly skipped test whose name says why a WebGPU test file could not run. */
export function describeUnavailable(title: string, reason: string): void {
  describe(title, () => {
    it.skip(`${WEBGPU_UNAVAILABLE}: ${reason}`, () => {});
  });
}
