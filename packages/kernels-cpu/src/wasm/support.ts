import { BINARY_OPS, type BinaryOp, type ExprNode, type FusedExpr } from "@nnkit/core";
import type { InputLayout } from "../elementwise/prepare.js";
import { binaryFn, unaryFn } from "../elementwise/semantics.js";

/**
 * Which fused expressions the WebAssembly SIMD path computes. Only ops whose float64 result
 * IEEE 754 determines exactly are accepted, and only where the node uses the float entry of
 * `semantics.ts` (integer wrap-around and bool logic are overrides, so such nodes fall back):
 * the SIMD kernel then gives the JavaScript path's bits by construction. Anything else —
 * transcendental ops, integer/half dtypes, strided inputs — is "unsupported" and the JavaScript
 * kernel runs.
 */
export const SIMD_UNARY = new Set([
  "negative",
  "abs",
  "sign",
  "square",
  "sqrt",
  "isnan",
  "isinf",
  "logicalNot",
]);

/** Every binary op but the two transcendental ones (power, logaddexp): all exactly rounded. */
export const SIMD_BINARY: ReadonlySet<BinaryOp> = new Set(
  BINARY_OPS.filter((op) => op !== "power" && op !== "logaddexp"),
);

/** The casts the SIMD path performs: float32 rounding and bool (v !== 0). */
export const SIMD_CASTS = new Set(["float32", "bool"]);

function nodeSupported(n: ExprNode, expr: FusedExpr, layouts: readonly InputLayout[]): boolean {
  switch (n.kind) {
    case "input":
      return expr.inputDtypes[n.index] === "float32" && layouts[n.index] !== "strided";
    case "scalar":
      // Passed as the same float64 the JavaScript kernel reads.
      return true;
    case "where":
      return true;
    case "cast":
      return SIMD_CASTS.has(n.dtype);
    case "unary":
      return SIMD_UNARY.has(n.op) && unaryFn(n.op, n.dtype) === unaryFn(n.op, "float32");
    case "binary":
      return SIMD_BINARY.has(n.op) && binaryFn(n.op, n.dtype) === binaryFn(n.op, "float32");
  }
}

/** Why an expression cannot run on the SIMD path, or undefined when it can. */
export function simdUnsupportedReason(
  expr: FusedExpr,
  layouts: readonly InputLayout[],
): string | undefined {
  if (expr.outDtype !== "float32") return `output dtype ${expr.outDtype}`;
  for (const n of expr.nodes) {
    if (!nodeSupported(n, expr, layouts)) {
      return n.kind === "unary" || n.kind === "binary" ? `${n.kind} ${n.op}:${n.dtype}` : n.kind;
    }
  }
  return undefined;
}
