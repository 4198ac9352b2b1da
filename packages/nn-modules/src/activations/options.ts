import { NnkitError } from "@nnkit/core";
import { activation } from "@nnkit/nn-functions";
import { formatValue } from "../module/describe.js";
import type { OptionSpec } from "./activation.js";

/**
 * The default nn-functions gives `fn`'s parameter `param`, so that a Module's defaults are the
 * function's (MLX's) and are written down only once.
 */
export function functionDefault(fn: string, param: string): number {
  const d = activation(fn)?.params.find((p) => p.name === param)?.default;
  if (d === undefined) throw new Error(`nn-functions has no default for ${fn}(${param})`);
  return d;
}

function fail(cls: string, name: string, rule: string, value: unknown): never {
  throw new NnkitError(cls, `${name} must be ${rule}; got ${formatValue(value)}`);
}

interface NumberRules {
  /** Reject ±inf. */
  readonly finite?: boolean;
  readonly nonNegative?: boolean;
  readonly nonZero?: boolean;
}

/** A number option (NaN is refused; the rules add finiteness, sign and non-zero checks). */
export function numberOption(
  name: string,
  def: number,
  rules: NumberRules = {},
): OptionSpec<number> {
  const rule = [
    rules.finite ? "a finite number" : "a number",
    rules.nonNegative ? ">= 0" : "",
    rules.nonZero ? "other than 0" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    name,
    default: def,
    type: "number",
    check(cls, v) {
      const ok =
        typeof v === "number" &&
        !Number.isNaN(v) &&
        (!rules.finite || Number.isFinite(v)) &&
        (!rules.nonNegative || v >= 0) &&
        (!rules.nonZero || v !== 0);
      return ok ? (v as number) : fail(cls, name, rule, v);
    },
  };
}

/** A positive integer option. */
export function countOption(name: string, def: number, alwaysShow = false): OptionSpec<number> {
  return {
    name,
    default: def,
    type: "number",
    alwaysShow,
    check: (cls, v) =>
      Number.isSafeInteger(v) && (v as number) > 0
        ? (v as number)
        : fail(cls, name, "a positive integer", v),
  };
}

/** An integer axis (negative counts from the end; the range is checked against x by forward). */
export function axisOption(def: number): OptionSpec<number> {
  return {
    name: "axis",
    default: def,
    type: "number",
    check: (cls, v) =>
      Number.isSafeInteger(v) ? (v as number) : fail(cls, "axis", "an integer", v),
  };
}

/** An axis or a list of axes, as the softmax functions take. */
export function axesOption(def: number): OptionSpec<number | readonly number[]> {
  return {
    name: "axis",
    default: def,
    type: "number | number[]",
    check(cls, v) {
      if (Number.isSafeInteger(v)) return v as number;
      if (Array.isArray(v) && v.length > 0 && v.every((a) => Number.isSafeInteger(a))) {
        return Object.freeze([...(v as number[])]);
      }
      return fail(cls, "axis", "an integer or a non-empty list of integers", v);
    },
  };
}

/** A string option limited to `allowed`. */
export function choiceOption<const T extends string>(
  name: string,
  def: T,
  allowed: readonly T[],
): OptionSpec<T> {
  const list = allowed.map((a) => JSON.stringify(a)).join(", ");
  return {
    name,
    default: def,
    type: allowed.map((a) => JSON.stringify(a)).join(" | "),
    check: (cls, v) =>
      (allowed as readonly unknown[]).includes(v) ? (v as T) : fail(cls, name, `one of ${list}`, v),
  };
}
