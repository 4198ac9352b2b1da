import type { ExprNode, FusedExpr } from "@nnkit/core";

/**
 * Which expressions may run in float32 lanes (f32x4, four elements per instruction) and still
 * give exactly the float64 evaluation rounded once — the CPU backend's definition of the answer.
 *
 * Each node is classified:
 * - "exact": its float64 value is a float32 and float32 arithmetic computes the same value
 *   (inputs, float32-representable scalars, max/min/neg/abs/select of exact values, compares);
 * - "rounded": float32 arithmetic computes fround(float64 value): a single +, −, ×, ÷ or √ of
 *   exact operands (float64 has more than 2·24 + 2 bits, so rounding its correctly rounded
 *   result to float32 is the correctly rounded float32 result), or max/min/neg/abs/select
 *   applied to rounded values (rounding to nearest is monotonic and odd, so it commutes with
 *   them, NaN and signed zeros included), or a cast to float32 of either.
 * A product with a sign or a compare (a value in {−1, 0, 1}) is exact when the other factor
 * is. A cast to int32 of a compare (0 or 1) is exact too, which admits step's int32 output.
 * Anything else — arithmetic on a rounded value, a compare or sign of one, transcendental ops —
 * leaves the expression on the float64 kernel. relu, relu6, hardTanh, step, hardShrink and
 * softshrink qualify; hardswish, softsign or prelu do not.
 */
type Exactness = "exact" | "rounded";

export interface F32Plan {
  /** Scalars the expression reads: each must be a float32 at run time for the plan to hold. */
  readonly scalars: readonly number[];
}

const MONOTONE_UNARY = new Set(["negative", "abs"]);
const ROUNDING_BINARY = new Set(["add", "subtract", "multiply", "divide"]);
const COMPARES = new Set(["greater", "greaterEqual", "less", "lessEqual", "equal", "notEqual"]);

/** Nodes whose value is always −1, 0 or 1 (sign, compares, and bool nodes generally). */
function isUnit(n: ExprNode | undefined): boolean {
  if (n === undefined) return false;
  if (n.dtype === "bool") return true;
  return n.kind === "unary" && n.op === "sign";
}

function classify(
  n: ExprNode,
  of: (i: number) => Exactness | undefined,
  node: (i: number) => ExprNode | undefined,
): Exactness | undefined {
  const either = (...xs: (Exactness | undefined)[]) =>
    xs.includes(undefined) ? undefined : xs.includes("rounded") ? "rounded" : "exact";
  switch (n.kind) {
    case "input":
    case "scalar":
      return "exact";
    case "unary": {
      const a = of(n.arg);
      if (MONOTONE_UNARY.has(n.op)) return a;
      if (a !== "exact") return undefined;
      if (n.op === "square" || n.op === "sqrt") return "rounded";
      if (n.op === "sign" || n.op === "isnan" || n.op === "isinf" || n.op === "logicalNot") {
        return "exact";
      }
      return undefined;
    }
    case "binary": {
      const [a, b] = [of(n.lhs), of(n.rhs)];
      if (n.op === "maximum" || n.op === "minimum") return either(a, b);
      if (a !== "exact" || b !== "exact") return undefined;
      // ±1 or 0 times a float32 value is that value, its negation or a zero: no rounding.
      if (n.op === "multiply" && (isUnit(node(n.lhs)) || isUnit(node(n.rhs)))) return "exact";
      if (ROUNDING_BINARY.has(n.op)) return "rounded";
      if (COMPARES.has(n.op)) return "exact";
      return undefined;
    }
    case "where":
      return of(n.cond) === "exact" ? either(of(n.a), of(n.b)) : undefined;
    case "cast": {
      const a = of(n.arg);
      if (n.dtype === "float32") return a === undefined ? undefined : "exact";
      if (n.dtype === "int32") return isUnit(node(n.arg)) && a === "exact" ? "exact" : undefined;
      return n.dtype === "bool" && a === "exact" ? "exact" : undefined;
    }
  }
}

/**
 * The float32-lane plan for an expression the float64 SIMD path supports, or undefined when
 * some node needs float64.
 */
export function f32Plan(expr: FusedExpr): F32Plan | undefined {
  const classes: (Exactness | undefined)[] = [];
  for (const n of expr.nodes) {
    const c = classify(
      n,
      (i) => classes[i],
      (i) => expr.nodes[i],
    );
    if (c === undefined) return undefined;
    classes.push(c);
  }
  const scalars = expr.nodes.flatMap((n) => (n.kind === "scalar" ? [n.index] : []));
  return { scalars };
}

/** Whether this call's scalars keep the plan exact (every one a float32 value, or NaN). */
export function scalarsFitF32(plan: F32Plan, scalars: readonly number[]): boolean {
  for (const j of plan.scalars) {
    const v = scalars[j] as number;
    if (Math.fround(v) !== v && !Number.isNaN(v)) return false;
  }
  return true;
}
