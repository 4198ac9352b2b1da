import type { FusedExpr } from "@nnkit/core";

/**
 * What a kernel may assume about a scalar operand of `maximum`/`minimum`, so that the common
 * clamps (relu's max(x, 0), relu6's min(…, 6), hardswish, prelu) compile to one `pmax`/`pmin`
 * instruction instead of the several that NaN- and zero-exact `max`/`min` take on x86:
 *
 *   pmax(x, c) = x < c ? c : x      pmin(x, c) = c < x ? c : x
 *
 * With c not NaN these propagate a NaN x (the comparison is false, x is returned) and agree
 * with Math.max/min everywhere except at signed zeros: max(-0, +0) must be +0 (pmax gives -0,
 * fixed by adding +0, which changes no other value) and min(+0, -0) must be -0 (no fix: -0 takes
 * the full min). A NaN c takes the full op. The class is part of the kernel's cache key, so one
 * expression may have a few compiled variants.
 */
export type ScalarClass = "+0" | "-0" | "nan" | "other";

export function scalarClass(v: number): ScalarClass {
  if (Number.isNaN(v)) return "nan";
  if (v === 0) return Object.is(v, -0) ? "-0" : "+0";
  return "other";
}

/** Ops whose scalar operands a kernel is specialised for. */
const SPECIALISING_OPS = new Set(["maximum", "minimum", "logaddexp"]);

/**
 * Scalars that are a direct operand of a maximum/minimum node (clamps) or of a logaddexp node
 * (logaddexp(x, +0) is softplus, which the fast math computes as one function:
 * `fused-math.ts`), by scalar index.
 */
export function specialisedScalars(expr: FusedExpr): number[] {
  const out = new Set<number>();
  for (const n of expr.nodes) {
    if (n.kind !== "binary" || !SPECIALISING_OPS.has(n.op)) continue;
    for (const side of [n.lhs, n.rhs]) {
      const leaf = expr.nodes[side];
      if (leaf?.kind === "scalar") out.add(leaf.index);
    }
  }
  return [...out].sort((a, b) => a - b);
}

const CLASS_CODES: Record<ScalarClass, number> = { "+0": 0, "-0": 1, nan: 2, other: 3 };

/**
 * The classes of `scalars` at `indices` as one number (two bits a scalar), for looking a
 * compiled variant up on every call without allocating; exact for up to 26 indices (beyond,
 * never seen in practice, distinct class lists may share a code, so callers must not use it).
 */
export function scalarClassCode(indices: readonly number[], scalars: readonly number[]): number {
  let code = 0;
  for (const j of indices) code = code * 4 + CLASS_CODES[scalarClass(scalars[j] as number)];
  return code;
}

/** Indices `scalarClassCode` encodes exactly: 4^26 = 2^52 is below 2^53. */
export const MAX_CODED_SCALARS = 26;

/** The classes of `scalars` at those indices, as a cache-key fragment and a lookup. */
export function classifyScalars(
  indices: readonly number[],
  scalars: readonly number[],
): { key: string; classes: ReadonlyMap<number, ScalarClass> } {
  const classes = new Map<number, ScalarClass>();
  for (const j of indices) classes.set(j, scalarClass(scalars[j] as number));
  return { key: [...classes.values()].join(","), classes };
}
