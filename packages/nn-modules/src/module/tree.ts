import { Array as MxArray, NnkitError } from "@nnkit/core";

/**
 * A parameter tree, as MLX nests them: arrays at the leaves, plain objects and lists around
 * them. A submodule without parameters appears as an empty object.
 */
export type ParameterTree = MxArray | ParameterDict | ParameterTree[];
export interface ParameterDict {
  [key: string]: ParameterTree;
}

/** A plain `{}` object (not a class instance, array or nnkit Array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `treeFlatten(tree, prefix?, isLeaf?)`: the leaves of nested plain objects and lists as
 * `[dottedName, leaf]` pairs, like `mlx.utils.tree_flatten` (`layers.0.weight`). Empty
 * containers contribute nothing.
 */
export function treeFlatten<T = unknown>(
  tree: unknown,
  prefix = "",
  isLeaf?: (value: unknown) => boolean,
): [string, T][] {
  const out: [string, T][] = [];
  const walk = (node: unknown, path: string): void => {
    if (!isLeaf?.(node)) {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) walk(node[i], `${path}.${i}`);
        return;
      }
      if (isPlainObject(node)) {
        for (const [k, v] of Object.entries(node)) walk(v, `${path}.${k}`);
        return;
      }
    }
    out.push([path.slice(1), node as T]);
  };
  walk(tree, prefix === "" ? "" : `.${prefix}`);
  return out;
}

const INDEX = /^\d+$/;

/**
 * `treeUnflatten(pairs)`: the inverse of `treeFlatten`, like `mlx.utils.tree_unflatten`.
 * A level whose first key is an integer becomes a list (holes filled with `{}`); any other
 * level becomes an object.
 */
export function treeUnflatten(pairs: readonly (readonly [string, unknown])[]): unknown {
  const first = pairs[0];
  if (first === undefined) return {};
  // A leaf; when a name was given twice, the last value wins (as a dict built from the pairs).
  if (pairs.every(([k]) => k === "")) return pairs.at(-1)?.[1];
  const groups = new Map<string, [string, unknown][]>();
  for (const [key, value] of pairs) {
    const dot = key.indexOf(".");
    const head = dot < 0 ? key : key.slice(0, dot);
    const rest = dot < 0 ? "" : key.slice(dot + 1);
    let group = groups.get(head);
    if (group === undefined) {
      group = [];
      groups.set(head, group);
    }
    group.push([rest, value]);
  }
  const firstHead = first[0].split(".", 1)[0] as string;
  if (INDEX.test(firstHead)) {
    const list: unknown[] = [];
    const indices = [...groups.keys()]
      .map((k) => [Number(k), k] as const)
      .sort((a, b) => a[0] - b[0]);
    for (const [i, k] of indices) {
      if (!INDEX.test(k)) {
        throw new NnkitError(
          "treeUnflatten",
          `key "${k}" sits beside list index "${firstHead}"; a level is either a list or an object`,
        );
      }
      while (list.length < i) list.push({});
      list.push(treeUnflatten(groups.get(k) ?? []));
    }
    return list;
  }
  const out: Record<string, unknown> = {};
  for (const [k, group] of groups) out[k] = treeUnflatten(group);
  return out;
}

/** Whether `value` is an nnkit Array. */
export function isArray(value: unknown): value is MxArray {
  return value instanceof MxArray;
}
