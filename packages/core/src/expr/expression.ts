import type { DType } from "../dtype/dtype.js";
import type { BinaryOp, UnaryOp } from "./ops.js";

/**
 * A fused elementwise expression: a DAG of nodes in topological order whose last node is the
 * output. Leaves are buffer inputs (read through strides) or scalar parameters (values passed
 * at run time, so one compiled kernel serves every constant). Every node carries its MLX
 * result dtype; backends decide how precisely to compute in between (the CPU uses float64
 * and rounds once at the output; integer nodes wrap at every step).
 */
export type ExprNode =
  | { readonly kind: "input"; readonly index: number; readonly dtype: DType }
  | { readonly kind: "scalar"; readonly index: number; readonly dtype: DType }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly arg: number; readonly dtype: DType }
  | {
      readonly kind: "binary";
      readonly op: BinaryOp;
      readonly lhs: number;
      readonly rhs: number;
      readonly dtype: DType;
    }
  | {
      readonly kind: "where";
      readonly cond: number;
      readonly a: number;
      readonly b: number;
      readonly dtype: DType;
    }
  | { readonly kind: "cast"; readonly arg: number; readonly dtype: DType };

export interface FusedExpr {
  readonly nodes: readonly ExprNode[];
  /** dtypes of the buffer inputs, by input index. */
  readonly inputDtypes: readonly DType[];
  readonly scalarCount: number;
  readonly outDtype: DType;
  /** Structure + dtypes, never sizes or scalar values: the cache key for compiled kernels. */
  readonly key: string;
}

function nodeKey(n: ExprNode): string {
  switch (n.kind) {
    case "input":
      return `i${n.index}:${n.dtype}`;
    case "scalar":
      return `s${n.index}:${n.dtype}`;
    case "unary":
      return `${n.op}(${n.arg}):${n.dtype}`;
    case "binary":
      return `${n.op}(${n.lhs},${n.rhs}):${n.dtype}`;
    case "where":
      return `where(${n.cond},${n.a},${n.b}):${n.dtype}`;
    case "cast":
      return `cast(${n.arg}):${n.dtype}`;
  }
}

/** Builds a FusedExpr with its cache key. */
export function makeFusedExpr(
  nodes: readonly ExprNode[],
  inputDtypes: readonly DType[],
  scalarCount: number,
): FusedExpr {
  const out = nodes[nodes.length - 1];
  if (out === undefined) throw new Error("internal: empty expression");
  return {
    nodes,
    inputDtypes,
    scalarCount,
    outDtype: out.dtype,
    key: nodes.map(nodeKey).join(";"),
  };
}
