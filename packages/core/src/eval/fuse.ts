import type { MxArray } from "../array/array.js";
import type { StridedView } from "../backend/backend.js";
import { roundToDType } from "../dtype/convert.js";
import { isFloating } from "../dtype/dtype.js";
import { type ExprNode, type FusedExpr, makeFusedExpr } from "../expr/expression.js";
import type { Storage } from "../graph/storage.js";
import { broadcastStrides } from "../shape/broadcast.js";
import type { Shape } from "../shape/shape.js";

export interface FusedKernel {
  readonly expr: FusedExpr;
  readonly inputs: StridedView[];
  readonly scalars: number[];
}

/**
 * Builds the fused expression that computes `root` over its full shape. Arrays with storage
 * (evaluated ones, or roots computed earlier in the plan) become strided inputs; every other
 * elementwise ancestor is inlined. Shared ancestors appear once (the node list is a DAG).
 */
export function buildKernel(
  root: MxArray,
  storageOf: (a: MxArray) => Storage | undefined,
): FusedKernel {
  const outShape: Shape = root.shape;
  const nodes: ExprNode[] = [];
  const inputDtypes: MxArray["dtype"][] = [];
  const inputs: StridedView[] = [];
  const scalars: number[] = [];
  const ids = new Map<MxArray, number>();

  const push = (n: ExprNode): number => nodes.push(n) - 1;

  const visit = (a: MxArray): number => {
    const known = ids.get(a);
    if (known !== undefined) return known;
    let id: number;
    const st = a === root ? undefined : storageOf(a);
    const node = a._node;
    if (st) {
      id = push({ kind: "input", index: inputs.length, dtype: a.dtype });
      inputDtypes.push(a.dtype);
      inputs.push({
        buffer: st.ref.buffer,
        offset: st.offset,
        strides: broadcastStrides(a.shape, st.strides, outShape),
      });
    } else if (!node) {
      throw new Error("internal: fused input has neither storage nor graph");
    } else {
      const p = node.prim;
      const arg = (i: number) => visit(node.inputs[i] as MxArray);
      switch (p.kind) {
        case "scalar": {
          // Float constants keep the caller's float64 value (nnkit computes in float64 and
          // rounds once); integer and bool constants take their dtype's value.
          scalars.push(isFloating(a.dtype) ? p.value : roundToDType(a.dtype, p.value));
          id = push({ kind: "scalar", index: scalars.length - 1, dtype: a.dtype });
          break;
        }
        case "unary":
          id = push({ kind: "unary", op: p.op, arg: arg(0), dtype: a.dtype });
          break;
        case "binary": {
          const lhs = arg(0);
          id = push({ kind: "binary", op: p.op, lhs, rhs: arg(1), dtype: a.dtype });
          break;
        }
        case "where": {
          const cond = arg(0);
          const x = arg(1);
          id = push({ kind: "where", cond, a: x, b: arg(2), dtype: a.dtype });
          break;
        }
        case "cast":
          id = push({ kind: "cast", arg: arg(0), dtype: a.dtype });
          break;
        case "broadcast":
          // Leaves read through broadcast strides against the output shape, so an explicit
          // broadcast inside a fused group needs no node of its own.
          id = arg(0);
          break;
        default:
          throw new Error(`internal: ${p.kind} is not elementwise`);
      }
    }
    ids.set(a, id);
    return id;
  };

  const out = visit(root);
  // The root must be the last node and carry the root's dtype (a bare broadcast of an input
  // resolves to that input's node, so copy it out explicitly).
  if (out !== nodes.length - 1 || nodes[out]?.kind === "input" || nodes[out]?.kind === "scalar") {
    push({ kind: "cast", arg: out, dtype: root.dtype });
  }
  return { expr: makeFusedExpr(nodes, inputDtypes, scalars.length), inputs, scalars };
}
