import type { FusedExpr } from "@nnkit/core";
import { type InputLayout, invariantNodes } from "../elementwise/prepare.js";
import { FunctionBody, type FunctionDef } from "./encoder.js";
import { Op, RowOp, ValType, VOID_BLOCK } from "./opcodes.js";

/**
 * Generated SIMD kernel signature (all pointers and lengths in bytes):
 *   (ptr_0 … ptr_{K-1}: i32, outPtr: i32, byteLength: i32,
 *    scalar_0 … scalar_{S-1}: f64, const_0 … const_{K-1}: f64) → ()
 * ptr_k is used for contiguous inputs, const_k (the element's value) for constant inputs.
 * byteLength is a multiple of 16: the caller pads to whole vectors, so there is no scalar tail
 * (padding lanes compute values that are never read; float SIMD ops cannot trap).
 */
export const KERNEL_EXPORT = "kernel";

/**
 * The row loop every kernel module also exports (function 0 being the kernel):
 *   (kernel's parameters…, startByte: i32, rowCount: i32, outRowBytes: i32,
 *    rowStride_0 … rowStride_{K-1}: i32) → ()
 * runs the kernel on rows r = startByte/outRowBytes … + rowCount − 1, input k's pointer and the
 * output's advanced by r·rowStride_k and r·outRowBytes bytes, byteLength being one row's.
 * For inputs strided only between rows (glu's halves): one call for all rows, which the pool
 * can split by rows (startByte is its sliced "pointer", advancing one output row per row).
 */
export const ROWS_EXPORT = "rows";

/** Argument positions of the row loop's own parameters, after the kernel's P parameters. */
export function rowsParams(expr: FusedExpr) {
  const P = kernelParams(expr).length;
  return {
    startByte: P,
    rowCount: P + 1,
    outRowBytes: P + 2,
    rowStride: (i: number) => P + 3 + i,
    count: P + 3 + expr.inputDtypes.length,
  };
}

/** The row loop (see ROWS_EXPORT) around function 0. */
export function rowsFunction(expr: FusedExpr): FunctionDef {
  const params = kernelParams(expr);
  const k = expr.inputDtypes.length;
  const R = rowsParams(expr);
  const all = [...params, ...Array<ValType>(R.count - params.length).fill(ValType.i32)];
  const f = new FunctionBody(all.length);
  const row = f.local(ValType.i32);
  const end = f.local(ValType.i32);
  f.get(R.startByte).get(R.outRowBytes).op(RowOp.i32DivU).set(row);
  f.get(row).get(R.rowCount).op(Op.i32Add).set(end);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(row).get(end).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  params.forEach((_, j) => {
    f.get(j);
    const stride = j < k ? R.rowStride(j) : j === k ? R.outRowBytes : undefined;
    if (stride !== undefined) f.get(row).get(stride).op(RowOp.i32Mul).op(Op.i32Add);
  });
  f.op(Op.call).code.u32(0);
  f.get(row).op(Op.i32Const).code.i32(1);
  f.op(Op.i32Add).set(row);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
  return { params: all, results: [], body: f, exportName: ROWS_EXPORT };
}

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
