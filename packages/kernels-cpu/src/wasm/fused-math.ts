import type { ExprNode, FusedExpr } from "@nnkit/core";
import type { FastOnlyFunction, MathPrecision } from "./math/index.js";
import type { ScalarClass } from "./scalar-classes.js";

/** A node computed by one fused vector function of one other node. */
export interface FusedCall {
  readonly fn: FastOnlyFunction;
  readonly arg: number;
}

export interface FusedMath {
  /** Nodes to compute with a fused function, by node index. */
  readonly calls: ReadonlyMap<number, FusedCall>;
  /** Per node: whether the kernel needs its value (a fused call reads only its argument). */
  readonly live: readonly boolean[];
}

/** The operands a node reads. */
export function operands(n: ExprNode): number[] {
  switch (n.kind) {
    case "input":
    case "scalar":
      return [];
    case "unary":
    case "cast":
      return [n.arg];
    case "binary":
      return [n.lhs, n.rhs];
    case "where":
      return [n.cond, n.a, n.b];
  }
}

/**
 * Which compositions the fast math computes as one function (`math/fast/softplus.ts`):
 * logaddexp(x, +0) (softplus, and logSigmoid's core) and tanh(logaddexp(x, +0)) (mish's gate).
 * The +0 is a scalar operand whose class the kernel is specialised for (scalar-classes.ts).
 * The reproducible math fuses nothing: it must give the ops' own bits.
 */
export function fuseMath(
  expr: FusedExpr,
  classOf: (node: number) => ScalarClass | undefined,
  precision: MathPrecision,
): FusedMath {
  const { nodes } = expr;
  const calls = new Map<number, FusedCall>();
  if (precision === "fast") {
    /** x when node i is logaddexp(x, +0) or logaddexp(+0, x). */
    const softplusArg = (i: number): number | undefined => {
      const n = nodes[i];
      if (n?.kind !== "binary" || n.op !== "logaddexp") return undefined;
      if (classOf(n.rhs) === "+0") return n.lhs;
      if (classOf(n.lhs) === "+0") return n.rhs;
      return undefined;
    };
    nodes.forEach((n, i) => {
      const sp = softplusArg(i);
      if (sp !== undefined) calls.set(i, { fn: "softplus", arg: sp });
      if (n.kind === "unary" && n.op === "tanh") {
        const inner = softplusArg(n.arg);
        if (inner !== undefined) calls.set(i, { fn: "tanhSoftplus", arg: inner });
      }
    });
  }
  // Liveness from the output back: a fused node reads only its argument.
  const live = nodes.map(() => false);
  live[nodes.length - 1] = true;
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!live[i]) continue;
    const call = calls.get(i);
    for (const j of call ? [call.arg] : operands(nodes[i] as ExprNode)) live[j] = true;
  }
  return { calls, live };
}
