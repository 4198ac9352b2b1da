import type { FusedExpr } from "@nnkit/core";
import type { InputLayout } from "./prepare.js";

/** The cache key part for input layouts (one input, the common case, needs no join). */
export function layoutsKey(layouts: readonly InputLayout[], prefix = ""): string {
  return prefix + (layouts.length === 1 ? (layouts[0] as string) : layouts.join(","));
}

/**
 * Compiled kernels (or why one could not compile) by expression and layouts key. Core interns
 * expressions, so a call looks its kernel up by the expression object first, without building
 * the expression's key string; a new object of an already seen structure (core's intern table
 * is bounded) falls back to the key and is then remembered too.
 */
export class KernelCache<T> {
  private readonly byExpr = new WeakMap<FusedExpr, Map<string, T>>();
  private readonly byKey = new Map<string, T>();

  get(expr: FusedExpr, layouts: string): T | undefined {
    const hit = this.byExpr.get(expr)?.get(layouts);
    if (hit !== undefined) return hit;
    const known = this.byKey.get(`${expr.key}|${layouts}`);
    if (known !== undefined) this.remember(expr, layouts, known);
    return known;
  }

  set(expr: FusedExpr, layouts: string, value: T): void {
    this.byKey.set(`${expr.key}|${layouts}`, value);
    this.remember(expr, layouts, value);
  }

  values(): IterableIterator<T> {
    return this.byKey.values();
  }

  get size(): number {
    return this.byKey.size;
  }

  private remember(expr: FusedExpr, layouts: string, value: T): void {
    let m = this.byExpr.get(expr);
    if (m === undefined) {
      m = new Map();
      this.byExpr.set(expr, m);
    }
    m.set(layouts, value);
  }
}
