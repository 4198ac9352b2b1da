import { BINARY_OPS, type BinaryOp, type ExprNode, type FusedExpr } from "@nnkit/core";
import type { InputLayout } from "../elementwise/prepare.js";
import { binaryFn, unaryFn } from "../elementwise/semantics.js";
import { MATH_BINARY, MATH_UNARY } from "./math/index.js";

/**
 * Which fused expressions the WebAssembly SIMD path computes. Accepted are ops whose float64
 * result IEEE 754 determines exactly, and the transcendental ops that have a vector function in
 * `math/` (each a transcription of the very algorithm the JavaScript path runs, in the same
 * operation order) — and only where the node uses the float entry of `semantics.ts` (integer
 * wrap-around and bool logic are overrides, so such nodes fall back): the SIMD kernel then gives
 * the JavaScript path's bits. Anything else — power, erfinv, integer/half dtypes, strided
 * inputs — is "unsupported" and the JavaScript kernel runs.
 */
export const SIMD_UNARY: ReadonlySet<string> = new Set([
  "negative",
  "abs",
  "sign",
  "square",
  "sqrt",
  "isnan",
  "isinf",
  "logicalNot",
  ...MATH_UNARY,
]);

/** Every binary op but power: exactly rounded, or (logaddexp) a vector function. */
export const SIMD_BINARY: ReadonlySet<BinaryOp> = new Set(
  BINARY_OPS.filter((op) => op !== "power" && (op !== "logaddexp" || MATH_BINARY.has(op))),
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

/**
 * Whether `expr` is an int32 cast of a bool expression the SIMD path supports (step's
 * `astype("int32")` of a compare): the float32-lane kernel then stores 0/1 as int32.
 */
export function isInt32OfBool(expr: FusedExpr, layouts: readonly InputLayout[]): boolean {
  const last = expr.nodes[expr.nodes.length - 1];
  if (expr.outDtype !== "int32" || last?.kind !== "cast" || last.arg !== expr.nodes.length - 2) {
    return false;
  }
  const boolPart = expr.nodes.slice(0, -1);
  if (boolPart[boolPart.length - 1]?.dtype !== "bool") return false;
  const rest: FusedExpr = { ...expr, nodes: boolPart, outDtype: "float32" };
  return simdUnsupportedReason(rest, layouts) === undefined;
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
