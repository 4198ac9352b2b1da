import type { FusedExpr } from "@nnkit/core";
import { type InputLayout, invariantNodes } from "../elementwise/prepare.js";
import { FunctionBody } from "./encoder.js";
import { Op, ValType, VOID_BLOCK } from "./opcodes.js";

/**
 * Generated SIMD kernel signature (all pointers and lengths in bytes):
 *   (ptr_0 … ptr_{K-1}: i32, outPtr: i32, byteLength: i32,
 *    scalar_0 … scalar_{S-1}: f64, const_0 … const_{K-1}: f64) → ()
 * ptr_k is used for contiguous inputs, const_k (the element's value) for constant inputs.
 * byteLength is a multiple of 16: the caller pads to whole vectors, so there is no scalar tail
 * (padding lanes compute values that are never read; float SIMD ops cannot trap).
 */
export const KERNEL_EXPORT = "kernel";

export function kernelParams(expr: FusedExpr): ValType[] {
  const k = expr.inputDtypes.length;
  return [
    ...Array<ValType>(k + 2).fill(ValType.i32),
    ...Array<ValType>(expr.scalarCount + k).fill(ValType.f64),
  ];
}

/** The kernel function being built and where its parameters are, for both code generators. */
export interface KernelFrame {
  readonly f: FunctionBody;
  readonly params: ValType[];
  readonly outPtr: number;
  readonly byteLength: number;
  scalarParam(j: number): number;
  constParam(i: number): number;
  /** Nodes whose value is the same for every element (hoisted out of the loop). */
  readonly invariant: readonly boolean[];
}

export function kernelFrame(expr: FusedExpr, layouts: readonly InputLayout[]): KernelFrame {
  const k = expr.inputDtypes.length;
  const params = kernelParams(expr);
  return {
    f: new FunctionBody(params.length),
    params,
    outPtr: k,
    byteLength: k + 1,
    scalarParam: (j) => k + 2 + j,
    constParam: (i) => k + 2 + expr.scalarCount + i,
    invariant: invariantNodes(
      expr,
      layouts.map((l) => l === "constant"),
    ),
  };
}

/** Emits `for (offset = 0; offset < byteLength; offset += 16) body(offset)`. */
export function vectorLoop(frame: KernelFrame, body: (offset: number) => void): void {
  const { f, byteLength } = frame;
  const offset = f.local(ValType.i32);
  f.op(Op.i32Const).code.i32(0);
  f.set(offset);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(offset).get(byteLength).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  body(offset);
  f.get(offset).op(Op.i32Const).code.i32(16);
  f.op(Op.i32Add).set(offset);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
}
