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

/**
 * Expressions built before, by a structural hash (collisions share a bucket). A model, or a
 * loop of small calls, builds the same few expressions over and over; finding the earlier one
 * costs a walk over the nodes, where building the key string costs several strings per node,
 * and it hands backends the same object and key string every time (their caches then hash a
 * string whose hash is already known). Entries are immutable and keyed by the whole structure,
 * so sharing one is safe; the table is emptied when full so that it stays small.
 */
const interned = new Map<number, FusedExpr[]>();
let internedCount = 0;
const MAX_INTERNED = 4096;

/** Small integers for the ops and dtypes in a hash (a fixed vocabulary, so this stays small). */
const codes = new Map<string, number>();
function code(s: string): number {
  let c = codes.get(s);
  if (c === undefined) {
    c = codes.size + 1;
    codes.set(s, c);
  }
  return c;
}

const mix = (h: number, v: number): number => Math.imul(h ^ v, 0x01000193);

/** FNV-style hash of exactly what `nodeKey` writes, without building it. */
function hashNodes(nodes: readonly ExprNode[]): number {
  let h = 0x811c9dc5;
  for (const n of nodes) {
    h = mix(h, code(n.kind));
    h = mix(h, code(n.dtype));
    switch (n.kind) {
      case "input":
      case "scalar":
        h = mix(h, n.index);
        break;
      case "unary":
        h = mix(mix(h, code(n.op)), n.arg);
        break;
      case "binary":
        h = mix(mix(mix(h, code(n.op)), n.lhs), n.rhs);
        break;
      case "where":
        h = mix(mix(mix(h, n.cond), n.a), n.b);
        break;
      case "cast":
        h = mix(h, n.arg);
        break;
    }
  }
  return h;
}

/** Whether two nodes would write the same `nodeKey`. */
function sameNode(x: ExprNode, y: ExprNode): boolean {
  if (x.kind !== y.kind || x.dtype !== y.dtype) return false;
  switch (x.kind) {
    case "input":
    case "scalar":
      return x.index === (y as typeof x).index;
    case "unary":
      return x.op === (y as typeof x).op && x.arg === (y as typeof x).arg;
    case "binary": {
      const b = y as typeof x;
      return x.op === b.op && x.lhs === b.lhs && x.rhs === b.rhs;
    }
    case "where": {
      const w = y as typeof x;
      return x.cond === w.cond && x.a === w.a && x.b === w.b;
    }
    case "cast":
      return x.arg === (y as typeof x).arg;
  }
}

function sameNodes(a: readonly ExprNode[], b: readonly ExprNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (!sameNode(a[i] as ExprNode, b[i] as ExprNode)) return false;
  return true;
}

/**
 * Builds a FusedExpr with its cache key, or returns the equal one built before. `inputDtypes`
 * and `scalarCount` follow from the nodes (input nodes carry their index and dtype; scalar
 * nodes are numbered), so equal nodes mean an equal expression.
 */
export function makeFusedExpr(
  nodes: readonly ExprNode[],
  inputDtypes: readonly DType[],
  scalarCount: number,
): FusedExpr {
  const out = nodes[nodes.length - 1];
  if (out === undefined) throw new Error("internal: empty expression");
  const hash = hashNodes(nodes);
  const bucket = interned.get(hash);
  if (bucket !== undefined) {
    for (const e of bucket) if (sameNodes(e.nodes, nodes)) return e;
  }
  const expr: FusedExpr = {
    nodes,
    inputDtypes,
    scalarCount,
    outDtype: out.dtype,
    key: nodes.map(nodeKey).join(";"),
  };
  if (internedCount >= MAX_INTERNED) {
    interned.clear();
    internedCount = 0;
  }
  if (bucket !== undefined && interned.has(hash)) bucket.push(expr);
  else interned.set(hash, [expr]);
  internedCount++;
  return expr;
}
