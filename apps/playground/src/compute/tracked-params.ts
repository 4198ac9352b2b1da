import * as mx from "@nnkit/core";
import type { ActivationInfo } from "@nnkit/nn-functions";
import type { ParamValues } from "../catalog/functions.js";
import type { ArrayScope } from "./scope.js";

/** Arguments for `ActivationInfo.apply`: numbers, and arrays where the function takes one. */
export type ApplyArgs = Readonly<Record<string, number | mx.Array>>;

/**
 * A function's parameters as the page passes them: those of kind "array" (prelu's alpha) become
 * arrays made here and tracked by `scope`. Passed as plain numbers, the library would make that
 * array itself, out of the page's reach, and its GPU buffer would live until the garbage
 * collector ran. Make these once per device job, not once per call.
 */
export function trackedParams(
  scope: ArrayScope,
  info: ActivationInfo,
  params: ParamValues,
): ApplyArgs {
  const args: Record<string, number | mx.Array> = { ...params };
  for (const p of info.params) {
    const v = params[p.name];
    if (p.kind === "array" && typeof v === "number") args[p.name] = scope.track(mx.array(v));
  }
  return args;
}
