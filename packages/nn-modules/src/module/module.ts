import {
  type ArrayInput,
  astype,
  DTYPES,
  type DType,
  isFloating,
  Array as MxArray,
  NnkitError,
} from "@nnkit/core";
import { writeFileBytes } from "../io/files.js";
import { readSafetensorsFile } from "../safetensors/files.js";
import { readSafetensors } from "../safetensors/read.js";
import { writeSafetensors } from "../safetensors/write.js";
import { formatShape, typeName } from "./describe.js";
import { isPlainObject, type ParameterDict, treeFlatten, treeUnflatten } from "./tree.js";

/** Decides whether `value`, found under `key` in `module`, is kept (see `filterAndMap`). */
export type ModuleFilter = (module: Module, key: string, value: unknown) => boolean;

export interface FreezeOptions {
  /** Parameter names (or one name) to freeze; by default every parameter. */
  readonly keys?: string | readonly string[];
  /** Also freeze the submodules (default true). */
  readonly recurse?: boolean;
  /** Throw when a key is not a member of a module it is applied to (default false). */
  readonly strict?: boolean;
}

export interface UpdateOptions {
  /** Throw on names the module does not have and on non-array values (default true). */
  readonly strict?: boolean;
}

/** `[name, array]` pairs, as `loadWeights` takes them and `treeFlatten` returns them. */
export type WeightPairs = readonly (readonly [string, unknown])[];

/** What `loadWeights` reads: a `.safetensors` path (Node), a file's bytes, or pairs. */
export type WeightsSource = string | Uint8Array | ArrayBuffer | WeightPairs;

/** The metadata nnkit writes into safetensors files, as `mlx.core.save_safetensors` does. */
export const SAFETENSORS_METADATA: Readonly<Record<string, string>> = Object.freeze({
  format: "mlx",
});

/** A value that a module keeps in its state: an array, a submodule, a plain object or a list. */
function isStateValue(value: unknown): boolean {
  return (
    value instanceof MxArray ||
    value instanceof Module ||
    isPlainObject(value) ||
    Array.isArray(value)
  );
}

function isContainer(value: unknown): boolean {
  return value instanceof Module || isPlainObject(value) || Array.isArray(value);
}

/** The state members of a module: own properties holding arrays, modules, objects or lists. */
function stateEntries(module: Module): [string, unknown][] {
  return Object.entries(module).filter(([, v]) => isStateValue(v));
}

/** Whether `key` names a member of `container` (a module's state member, an object's key). */
function hasMember(container: unknown, key: string): boolean {
  if (container instanceof Module) {
    return Object.hasOwn(container, key) && isStateValue(Reflect.get(container, key));
  }
  if (isPlainObject(container)) return Object.hasOwn(container, key);
  return false;
}

function indentLines(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? line : prefix + line))
    .join("\n");
}

/**
 * The base of every layer, after `mlx.nn.Module`. A module's **state** is its own properties
 * that hold an Array, a submodule, or plain objects and lists of them. Its **parameters** are
 * the state members whose key does not start with `_`, nested as MLX nests them (a submodule
 * becomes an object; flattened names are dotted, `layers.0.weight`). Options such as `alpha`
 * are not state. Call a module with `forward(x)`.
 */
export abstract class Module {
  #training = true;
  readonly #noGrad = new Set<string>();

  /** Applies the module to `x`. */
  abstract forward(x: ArrayInput): MxArray;

  /** Whether the module is in training mode (`train()`/`eval()`); activations ignore it. */
  get training(): boolean {
    return this.#training;
  }

  /**
   * A live view of the module's state: every member holding an array, a submodule, or an
   * object or list of them, `_`-prefixed ones included. Writes go to the module.
   */
  get state(): Record<string, unknown> {
    const isMember = (k: string | symbol) => typeof k === "string" && hasMember(this, k);
    return new Proxy(this as unknown as Record<string, unknown>, {
      get: (target, k) => (isMember(k) ? Reflect.get(target, k) : undefined),
      has: (_, k) => isMember(k),
      ownKeys: () => stateEntries(this).map(([k]) => k),
      getOwnPropertyDescriptor: (target, k) =>
        isMember(k) ? Reflect.getOwnPropertyDescriptor(target, k) : undefined,
      set: (target, k, v) => Reflect.set(target, k, v),
      deleteProperty: (target, k) => (isMember(k) ? Reflect.deleteProperty(target, k) : true),
    });
  }

  /** The name `toString` shows; the class name unless a subclass says otherwise. */
  protected get className(): string {
    return this.constructor.name;
  }

  /** What `toString` shows between the parentheses (MLX's `_extra_repr`). */
  protected extraRepr(): string {
    return "";
  }

  /** MLX's repr: `ReLU()`, `GELU(approx="tanh")`, and one indented line per submodule. */
  toString(): string {
    const kids = treeFlatten<Module>(this.children(), "", Module.isModule);
    let out = `${this.className}(${this.extraRepr()}`;
    for (const [k, v] of kids) out += `\n${indentLines(`(${k}): ${v.toString()}`, "  ")}`;
    if (kids.length > 0) out += "\n";
    return `${out})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  // ---- filters (MLX's static helpers) -------------------------------------------------

  static isModule(value: unknown): value is Module {
    return value instanceof Module;
  }

  /** Keeps submodules and the objects and lists that may hold them. */
  static validChildFilter(this: void, _module: Module, _key: string, value: unknown): boolean {
    return isContainer(value);
  }

  /** Keeps arrays and containers under keys that do not start with `_`. */
  static validParameterFilter(this: void, _module: Module, key: string, value: unknown): boolean {
    return (value instanceof MxArray || isContainer(value)) && !key.startsWith("_");
  }

  /** `validParameterFilter`, minus the keys the module has frozen. */
  static trainableParameterFilter(
    this: void,
    module: Module,
    key: string,
    value: unknown,
  ): boolean {
    return Module.validParameterFilter(module, key, value) && !module.#noGrad.has(key);
  }

  // ---- traversal ----------------------------------------------------------------------

  /**
   * Walks the module's state recursively, keeping what `filter` accepts and passing leaves
   * through `map` (MLX's `filter_and_map`). Values inside objects and lists are filtered under
   * their dotted key (`"dict.a"`); rejected ones become `{}`, as in MLX. A leaf is anything
   * that is not a module, plain object or list, unless `isLeaf` says otherwise.
   */
  filterAndMap(
    filter: ModuleFilter,
    map: (value: unknown) => unknown = (v) => v,
    isLeaf: ModuleFilter = (_m, _k, v) => !isContainer(v),
  ): Record<string, unknown> {
    const unwrap = (model: Module, key: string, value: unknown): unknown => {
      if (isLeaf(model, key, value)) return map(value);
      if (value instanceof Module) return value.filterAndMap(filter, map, isLeaf);
      if (isPlainObject(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          const tk = `${key}.${k}`;
          out[k] = filter(model, tk, v) ? unwrap(model, tk, v) : {};
        }
        return out;
      }
      if (Array.isArray(value)) {
        return value.map((v, i) => {
          const tk = `${key}.${i}`;
          return filter(model, tk, v) ? unwrap(model, tk, v) : {};
        });
      }
      throw new NnkitError(
        `${this.className}.filterAndMap`,
        `unexpected leaf under "${key}" (${typeName(value)}); pass an isLeaf that accepts it`,
      );
    };
    const out: Record<string, unknown> = {};
    for (const [k, v] of stateEntries(this)) {
      if (filter(this, k, v)) out[k] = unwrap(this, k, v);
    }
    return out;
  }

  /** Every parameter, nested in objects and lists (a submodule without any gives `{}`). */
  parameters(): ParameterDict {
    return this.filterAndMap(Module.validParameterFilter) as ParameterDict;
  }

  /** The parameters that are not frozen. */
  trainableParameters(): ParameterDict {
    return this.filterAndMap(Module.trainableParameterFilter) as ParameterDict;
  }

  /** The direct submodules, in the objects and lists that hold them. */
  children(): Record<string, unknown> {
    return this.filterAndMap(Module.validChildFilter, undefined, (_m, _k, v) => Module.isModule(v));
  }

  /** The submodules that contain no other modules. */
  leafModules(): Record<string, unknown> {
    const isLeafModule: ModuleFilter = (_m, _k, v) =>
      v instanceof Module && treeFlatten(v.children(), "", Module.isModule).length === 0;
    return this.filterAndMap(Module.validChildFilter, undefined, isLeafModule);
  }

  /** Calls `fn(name, module)` on this module (name `""`) and every submodule, depth first. */
  applyToModules(fn: (name: string, module: Module) => void): this {
    const stack: [string, Module][] = [["", this]];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [prefix, mod] = top;
      fn(prefix, mod);
      stack.push(...treeFlatten<Module>(mod.children(), prefix, Module.isModule));
    }
    return this;
  }

  /** This module and all its submodules. */
  modules(): Module[] {
    const out: Module[] = [];
    this.applyToModules((_, m) => out.push(m));
    return out;
  }

  /** `[dottedName, module]` for this module (`""`) and all its submodules. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    this.applyToModules((k, m) => out.push([k, m]));
    return out;
  }

  // ---- changing parameters ------------------------------------------------------------

  /**
   * Replaces parameters with those in `parameters`, a full or partial tree shaped like
   * `parameters()`. In strict mode (the default) a name the module lacks or a non-array
   * where an array was throws, with MLX's messages.
   */
  update(parameters: unknown, options: UpdateOptions = {}): this {
    const fn = `${this.className}.update`;
    const strict = options.strict ?? true;
    const invalid = (v: unknown) => new NnkitError(fn, `Received invalid type: ${typeName(v)}.`);
    const missing = (k: string | number) =>
      new NnkitError(fn, `Module does not have parameter named "${k}".`);
    const assign = (dst: object, k: string | number, v: unknown) => {
      const current: unknown = Reflect.get(dst, k);
      if (current instanceof MxArray) {
        if (strict && !(v instanceof MxArray)) throw invalid(v);
        Reflect.set(dst, k, v);
      } else {
        visit(current, v);
      }
    };
    const visit = (dst: unknown, params: unknown): void => {
      if (isPlainObject(params)) {
        for (const [k, v] of Object.entries(params)) {
          if (hasMember(dst, k)) assign(dst as object, k, v);
          else if (strict) throw missing(k);
        }
      } else if (Array.isArray(params)) {
        params.forEach((v, i) => {
          if (Array.isArray(dst) && i < dst.length) assign(dst, i, v);
          else if (strict) throw missing(i);
        });
      } else if (strict) {
        throw invalid(params);
      }
    };
    visit(this, parameters);
    return this;
  }

  /**
   * Maps every parameter through `map` and stores the results, e.g.
   * `m.apply((w) => w.astype("float16"))`. `filter` picks what is mapped
   * (default `validParameterFilter`).
   */
  apply(
    map: (value: MxArray) => MxArray,
    filter: ModuleFilter = Module.validParameterFilter,
  ): this {
    const onArrays = (v: unknown) => (v instanceof MxArray ? map(v) : v);
    return this.update(this.filterAndMap(filter, onArrays));
  }

  /** Replaces submodules with those in `modules`, a tree shaped like `children()`. */
  updateModules(modules: unknown, options: UpdateOptions = {}): this {
    const fn = `${this.className}.updateModules`;
    const strict = options.strict ?? true;
    const invalid = (v: unknown) => new NnkitError(fn, `Received invalid type: ${typeName(v)}.`);
    const assign = (dst: object, k: string | number, v: unknown) => {
      const current: unknown = Reflect.get(dst, k);
      if (current instanceof Module && v instanceof Module) Reflect.set(dst, k, v);
      else if (isPlainObject(current) || Array.isArray(current) || current instanceof Module) {
        visit(current, v);
      } else if (strict) throw invalid(v);
    };
    const visit = (dst: unknown, mods: unknown): void => {
      if (isPlainObject(mods)) {
        for (const [k, v] of Object.entries(mods)) {
          if (hasMember(dst, k)) assign(dst as object, k, v);
          else if (strict)
            throw new NnkitError(fn, `Module does not have sub-module named "${k}".`);
        }
      } else if (Array.isArray(mods)) {
        mods.forEach((v, i) => {
          if (Array.isArray(dst) && i < dst.length) assign(dst, i, v);
          else if (strict)
            throw new NnkitError(fn, `Module does not have sub-module named "${i}".`);
        });
      } else if (strict) {
        throw invalid(mods);
      }
    };
    visit(this, modules);
    return this;
  }

  // ---- freezing -----------------------------------------------------------------------

  #keysFor(fn: string, keys: string | readonly string[], strict: boolean): readonly string[] {
    const list = typeof keys === "string" ? [keys] : keys;
    if (!Array.isArray(list) || !list.every((k) => typeof k === "string")) {
      throw new NnkitError(fn, `keys must be a string or a list of strings; got ${typeName(keys)}`);
    }
    if (strict) {
      for (const k of list) {
        if (!hasMember(this, k)) throw new NnkitError(fn, `Module doesn't contain member ${k}.`);
      }
    }
    return list;
  }

  static #freezeOptions(fn: string, options: unknown): { recurse: boolean; strict: boolean } {
    if (!isPlainObject(options)) {
      throw new NnkitError(fn, `options must be an object; got ${typeName(options)}`);
    }
    for (const k of Object.keys(options)) {
      if (k !== "keys" && k !== "recurse" && k !== "strict") {
        throw new NnkitError(fn, `unknown option "${k}"; expected keys, recurse or strict`);
      }
    }
    const { recurse = true, strict = false } = options;
    if (typeof recurse !== "boolean") throw new NnkitError(fn, "recurse must be a boolean");
    if (typeof strict !== "boolean") throw new NnkitError(fn, "strict must be a boolean");
    return { recurse, strict };
  }

  /**
   * Freezes parameters: `trainableParameters()` leaves them out. Without `keys`, every
   * parameter of each module (submodules too unless `recurse: false`).
   */
  freeze(options: FreezeOptions = {}): this {
    const fn = `${this.className}.freeze`;
    const { recurse, strict } = Module.#freezeOptions(fn, options);
    const { keys } = options;
    const freezeOne = (_: string, m: Module) => {
      const local =
        keys === undefined
          ? treeFlatten(
              m.filterAndMap(
                (mm, k, v) => !(v instanceof Module) && Module.validParameterFilter(mm, k, v),
              ),
            ).map(([k]) => k)
          : m.#keysFor(fn, keys, strict);
      for (const k of local) m.#noGrad.add(k);
    };
    if (recurse) this.applyToModules(freezeOne);
    else freezeOne("", this);
    return this;
  }

  /** Undoes `freeze`: without `keys`, unfreezes everything (of submodules too by default). */
  unfreeze(options: FreezeOptions = {}): this {
    const fn = `${this.className}.unfreeze`;
    const { recurse, strict } = Module.#freezeOptions(fn, options);
    const { keys } = options;
    const unfreezeOne = (_: string, m: Module) => {
      if (keys === undefined) m.#noGrad.clear();
      else for (const k of m.#keysFor(fn, keys, strict)) m.#noGrad.delete(k);
    };
    if (recurse) this.applyToModules(unfreezeOne);
    else unfreezeOne("", this);
    return this;
  }

  // ---- modes and dtypes ---------------------------------------------------------------

  /** Sets training mode (default true) on this module and every submodule. */
  train(mode = true): this {
    if (typeof mode !== "boolean") {
      throw new NnkitError(
        `${this.className}.train`,
        `mode must be a boolean; got ${typeName(mode)}`,
      );
    }
    return this.applyToModules((_, m) => {
      m.#training = mode;
    });
  }

  /** Sets evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Casts the parameters whose dtype satisfies `predicate` to `dtype`. By default only
   * floating parameters are cast (MLX's default), so integer parameters keep their dtype;
   * pass `null` to cast every parameter.
   */
  setDtype(dtype: DType, predicate: ((dtype: DType) => boolean) | null = isFloating): this {
    const fn = `${this.className}.setDtype`;
    if (!(DTYPES as readonly unknown[]).includes(dtype)) {
      throw new NnkitError(
        fn,
        `dtype must be one of ${DTYPES.join(", ")}; got ${JSON.stringify(dtype)}`,
      );
    }
    if (predicate !== null && typeof predicate !== "function") {
      throw new NnkitError(fn, `predicate must be a function or null; got ${typeName(predicate)}`);
    }
    return this.apply((x) => (predicate === null || predicate(x.dtype) ? astype(x, dtype) : x));
  }

  // ---- weights ------------------------------------------------------------------------

  /**
   * Loads weights from a `.safetensors` path (Node), the bytes of a safetensors file, or
   * `[name, array]` pairs. In strict mode (the default) the names must match `parameters()`
   * exactly and every shape must agree; the checks and messages are MLX's, in MLX's order
   * (extra names, missing names, non-arrays, shapes). Dtypes are not checked. Without strict,
   * only names the model has are loaded.
   */
  async loadWeights(source: WeightsSource, options: UpdateOptions = {}): Promise<this> {
    const fn = `${this.className}.loadWeights`;
    const strict = options.strict ?? true;
    let weights: WeightPairs;
    if (typeof source === "string") {
      checkExtension(fn, source);
      weights = (await readSafetensorsFile(fn, source)).tensors;
    } else if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
      weights = readSafetensors(source, fn, "the data").tensors;
    } else if (Array.isArray(source)) {
      weights = checkPairs(fn, source);
    } else {
      throw new NnkitError(
        fn,
        `expected a .safetensors path, a Uint8Array or ArrayBuffer, or a list of [name, array] pairs; got ${typeName(source)}`,
      );
    }
    if (strict) this.#checkWeights(fn, weights);
    if (weights.length > 0) this.update(treeUnflatten(weights), { strict: false });
    return this;
  }

  #checkWeights(fn: string, weights: WeightPairs): void {
    const incoming = new Map<string, unknown>(weights);
    const current = new Map(treeFlatten<MxArray>(this.parameters()));
    const extras = [...incoming.keys()].filter((k) => !current.has(k)).sort();
    if (extras.length > 0) {
      throw new NnkitError(
        fn,
        `Received ${extras.length} parameters not in model: \n${extras.join(",\n")}.`,
      );
    }
    const missing = [...current.keys()].filter((k) => !incoming.has(k)).sort();
    if (missing.length > 0) {
      throw new NnkitError(fn, `Missing ${missing.length} parameters: \n${missing.join(",\n")}.`);
    }
    for (const [k, v] of current) {
      const given = incoming.get(k);
      if (!(given instanceof MxArray)) {
        throw new NnkitError(
          fn,
          `Expected Array but received ${typeName(given)} for parameter ${k}`,
        );
      }
      if (given.shape.length !== v.shape.length || given.shape.some((d, i) => d !== v.shape[i])) {
        throw new NnkitError(
          fn,
          `Expected shape ${formatShape(v.shape)} but received shape ${formatShape(given.shape)} for parameter ${k}`,
        );
      }
    }
  }

  /** The parameters as the bytes of a safetensors file (metadata `{"format": "mlx"}`). */
  toSafetensors(): Promise<Uint8Array> {
    return writeSafetensors(
      treeFlatten<MxArray>(this.parameters()),
      SAFETENSORS_METADATA,
      `${this.className}.toSafetensors`,
    );
  }

  /** Writes the parameters to a `.safetensors` file (Node). */
  async saveWeights(path: string): Promise<void> {
    const fn = `${this.className}.saveWeights`;
    checkExtension(fn, path);
    const bytes = await writeSafetensors(
      treeFlatten<MxArray>(this.parameters()),
      SAFETENSORS_METADATA,
      fn,
    );
    await writeFileBytes(fn, path, bytes);
  }
}

function checkExtension(fn: string, path: unknown): void {
  if (typeof path !== "string") {
    throw new NnkitError(fn, `path must be a string; got ${typeName(path)}`);
  }
  if (!path.endsWith(".safetensors")) {
    throw new NnkitError(
      fn,
      `Unsupported file extension for ${path}. Use '.safetensors' (nnkit does not read or write .npz).`,
    );
  }
}

function checkPairs(fn: string, pairs: readonly unknown[]): WeightPairs {
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "string") {
      throw new NnkitError(
        fn,
        `weights[${i}] must be a [name, array] pair with a string name; got ${typeName(p)}`,
      );
    }
  });
  return pairs as WeightPairs;
}
