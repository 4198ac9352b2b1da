import { describe } from "vitest";
import { type SuiteOptions, useBackend } from "./context.js";
import { defineElementwiseSuites } from "./suites/elementwise/index.js";
import { defineStructureSuites } from "./suites/structure/index.js";

export {
  float32Bound,
  itWithDtypes,
  type SuiteOptions,
  supportsDtype,
  useBackend,
} from "./context.js";
export * from "./reference/index.js";
export { describeUnavailable, WEBGPU_UNAVAILABLE } from "./unavailable.js";

/**
 * Defines every conformance test for one backend. A backend package calls this once from a
 * vitest file after registering itself; the same tests then run on every backend.
 */
export function defineConformanceSuite(options: SuiteOptions): void {
  describe(`conformance on "${options.backend}"`, () => {
    useBackend(options);
    defineElementwiseSuites(options);
    defineStructureSuites(options);
  });
}
