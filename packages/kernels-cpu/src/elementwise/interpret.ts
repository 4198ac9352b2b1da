import type { FusedExpr } from "@nnkit/core";
import { decodeTable, type KernelArgs, nodeFunctions, outputEncoder } from "./prepare.js";
import { select } from "./semantics.js";

/**
 * Runs a fused expression without generating code, for pages whose Content Security Policy
 * forbids `new Function`. Same semantics table, same loop order, same results; slower.
 */
export function interpretKernel(expr: FusedExpr, args: KernelArgs): void {
  const fns = nodeFunctions(expr);
  const tables = expr.inputDtypes.map(decodeTable);
  const encode = outputEncoder(expr.outDtype) ?? ((v: number) => v);
  const { out, inputs, offsets, strides, shape, scalars } = args;
  const nd = shape.length;
  const nodes = expr.nodes;
  const regs = new Float64Array(nodes.length);
  const pos = offsets.slice();
  const idx = new Array<number>(nd).fill(0);
  const n = out.length;
  for (let w = 0; w < n; w++) {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      switch (node?.kind) {
        case "input": {
          const raw = (inputs[node.index] as KernelArgs["out"])[
            pos[node.index] as number
          ] as number;
          const t = tables[node.index];
          regs[i] = t ? (t[raw] as number) : raw;
          break;
        }
        case "scalar":
          regs[i] = scalars[node.index] as number;
          break;
        case "unary":
        case "cast":
          regs[i] = (fns[i] as (a: number) => number)(regs[node.arg] as number);
          break;
        case "binary":
          regs[i] = (fns[i] as (a: number, b: number) => number)(
            regs[node.lhs] as number,
            regs[node.rhs] as number,
          );
          break;
        case "where":
          regs[i] = select(
            regs[node.cond] as number,
            regs[node.a] as number,
            regs[node.b] as number,
          );
          break;
      }
    }
    out[w] = encode(regs[nodes.length - 1] as number);
    // Advance the n-d index and every input's position.
    for (let d = nd - 1; d >= 0; d--) {
      const size = shape[d] as number;
      const next = (idx[d] as number) + 1;
      if (next < size) {
        idx[d] = next;
        for (let k = 0; k < pos.length; k++)
          pos[k] = (pos[k] as number) + ((strides[k] as number[])[d] as number);
        break;
      }
      idx[d] = 0;
      for (let k = 0; k < pos.length; k++)
        pos[k] = (pos[k] as number) - ((strides[k] as number[])[d] as number) * (size - 1);
    }
  }
}
