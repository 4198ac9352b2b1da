import type { SuiteOptions } from "../../context.js";

export function defineElementwiseSuites(options: SuiteOptions): void {
  void options;
}
