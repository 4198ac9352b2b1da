import { type ArrayInput, type Array as MxArray, NnkitError } from "@nnkit/core";
import { formatValue, typeName } from "../module/describe.js";
import { Module } from "../module/module.js";
import { isPlainObject } from "../module/tree.js";

/** One constructor option: its name, default, and the check a given value must pass. */
export interface OptionSpec<V = unknown> {
  readonly name: string;
  readonly default: V;
  /** How the option's type reads in docs and errors, e.g. `number` or `"none" | "tanh"`. */
  readonly type: string;
  /** Returns the value if acceptable; otherwise throws an NnkitError naming class and option. */
  readonly check: (cls: string, value: unknown) => V;
  /** `toString` shows it even at its default (PReLU's numParameters). */
  readonly alwaysShow?: boolean;
}

/** What a Module class is: its MLX name, the nn-functions it calls, and its options. */
export interface ActivationSpec {
  readonly name: string;
  readonly functions: readonly string[];
  readonly options: readonly OptionSpec[];
}

/** Options for a Module that takes none. */
export type NoOptions = Record<string, never>;

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  }
  return Object.is(a, b);
}

/**
 * The base of the 25 activation Modules: validates the options object once, keeps the
 * resolved options out of the module's state (they are not parameters, as in MLX), and
 * prints options that differ from their defaults.
 */
export abstract class Activation<O extends object = NoOptions> extends Module {
  readonly #spec: ActivationSpec;
  readonly #options: Readonly<Required<O>>;

  protected constructor(spec: ActivationSpec, options: O | undefined) {
    super();
    this.#spec = spec;
    this.#options = resolveOptions(spec, options) as Readonly<Required<O>>;
  }

  /** The resolved options (defaults filled in). */
  protected get options(): Readonly<Required<O>> {
    return this.#options;
  }

  protected override get className(): string {
    return this.#spec.name;
  }

  protected override extraRepr(): string {
    const shown: string[] = [];
    for (const o of this.#spec.options) {
      const v = (this.#options as Record<string, unknown>)[o.name];
      if (o.alwaysShow || !sameValue(v, o.default)) shown.push(`${o.name}=${formatValue(v)}`);
    }
    return shown.join(", ");
  }

  abstract override forward(x: ArrayInput): MxArray;
}

function resolveOptions(spec: ActivationSpec, options: unknown): Record<string, unknown> {
  const cls = spec.name;
  const names = spec.options.map((o) => o.name);
  if (options !== undefined && !isPlainObject(options)) {
    const expected =
      names.length === 0 ? "no options" : `an options object like { ${names.join(", ")} }`;
    throw new NnkitError(cls, `expected ${expected}; got ${typeName(options)}`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      throw new NnkitError(
        cls,
        names.length === 0
          ? `takes no options; got "${key}"`
          : `unknown option "${key}"; ${cls} accepts ${names.join(", ")}`,
      );
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const o of spec.options) {
    const v = given[o.name];
    resolved[o.name] = v === undefined ? o.default : o.check(cls, v);
  }
  return Object.freeze(resolved);
}
