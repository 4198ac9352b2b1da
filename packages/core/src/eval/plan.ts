import type { MxArray } from "../array/array.js";
import { NnkitError } from "../errors.js";
import { isFusable } from "../graph/primitive.js";

/** Fused expressions larger than this are split, keeping generated kernels a sane size. */
const MAX_FUSED_NODES = 256;

export interface Plan {
  /** Arrays to compute, in dependency order; each is a kernel or a view. */
  readonly roots: MxArray[];
  /** Whether an array was asked for (it keeps its storage; other roots are freed after). */
  readonly targets: { has(a: MxArray): boolean };
}

/**
 * Orders the unevaluated part of the graph under `targets` and picks the arrays that must be
 * materialised: the targets, inputs of non-elementwise primitives, and cut points of very large
 * fused expressions. Everything else is inlined into its consumer's fused kernel.
 */
export function planEvaluation(fn: string, targets: readonly MxArray[]): Plan {
  const single = targets.length === 1 ? singleKernelPlan(targets[0] as MxArray) : undefined;
  if (single !== undefined) return single;
  const order: MxArray[] = [];
  const seen = new Set<MxArray>();
  // A depth-first walk with an explicit stack (deep graphs must not overflow the call stack):
  // arrays and how many of their inputs were visited, side by side (no object per entry: this
  // runs on every call, and small calls are dominated by such overhead).
  const stack: MxArray[] = [];
  const next: number[] = [];
  for (const t of targets) {
    if (t._disposed) throw new NnkitError(fn, "cannot evaluate an array that was disposed");
    if (t._storage || seen.has(t)) continue;
    seen.add(t);
    stack.push(t);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const a = stack[top] as MxArray;
      const inputs = a._node?.inputs;
      const i = next[top] as number;
      if (inputs !== undefined && i < inputs.length) {
        next[top] = i + 1;
        const child = inputs[i] as MxArray;
        if (child._storage || seen.has(child)) continue;
        if (!child._node) {
          throw new NnkitError(
            fn,
            "an input of this computation was disposed before it was evaluated",
          );
        }
        seen.add(child);
        stack.push(child);
        next.push(0);
      } else {
        stack.pop();
        next.pop();
        order.push(a);
      }
    }
  }

  const targetSet = new Set(targets);
  const rootSet = new Set<MxArray>();
  for (const a of order) {
    if (targetSet.has(a)) rootSet.add(a);
    const node = a._node;
    if (node && !isFusable(node.prim)) {
      // Non-elementwise arrays are kernels or views of their own, and so are their inputs.
      rootSet.add(a);
      for (const i of node.inputs) if (!i._storage) rootSet.add(i);
    }
  }
  // Bound the size of each fused expression: a node whose inlined subtree grows too large
  // becomes a materialised root (no subtree can, when the whole graph is smaller).
  if (order.length > MAX_FUSED_NODES) {
    const inlineSize = new Map<MxArray, number>();
    for (const a of order) {
      let size = 1;
      for (const i of a._node?.inputs ?? []) {
        if (!i._storage && !rootSet.has(i)) size += inlineSize.get(i) ?? 1;
      }
      if (size > MAX_FUSED_NODES) {
        rootSet.add(a);
        size = 1;
      }
      inlineSize.set(a, rootSet.has(a) ? 1 : size);
    }
  }
  return { roots: order.filter((a) => rootSet.has(a)), targets: targetSet };
}

/**
 * The plan of the commonest small call, without the general walk's sets and stacks: one
 * unevaluated elementwise target whose inputs are all evaluated or leaves of the fused kernel
 * (scalars): the target is the only root. Undefined for anything else.
 */
function singleKernelPlan(t: MxArray): Plan | undefined {
  const node = t._node;
  if (t._disposed || t._storage || node === undefined || !isFusable(node.prim)) return undefined;
  for (const i of node.inputs) {
    if (i._storage) continue;
    const leaf = i._node;
    if (leaf === undefined || leaf.inputs.length > 0 || !isFusable(leaf.prim)) return undefined;
  }
  return { roots: [t], targets: { has: (a) => a === t } };
}
