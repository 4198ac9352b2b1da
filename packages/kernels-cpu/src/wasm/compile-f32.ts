import type { ExprNode, FusedExpr } from "@nnkit/core";
import { type InputLayout, invariantNodes } from "../elementwise/prepare.js";
import { KERNEL_EXPORT, kernelParams } from "./compile-simd.js";
import { encodeModule, FunctionBody, type MemoryImport, PLAIN_MEMORY } from "./encoder.js";
import { declareLaneConstants, emitExactNode, F32_LANES } from "./lanes.js";
import { F32_DEMOTE_F64, Op, Simd, SimdF32, ValType, VOID_BLOCK } from "./opcodes.js";
import type { ScalarClass } from "./scalar-classes.js";

/**
 * Compiles an expression that `f32Plan` accepts to a kernel working on four float32 lanes per
 * instruction, with no promotion to float64: the same signature and results as
 * `compileSimdModule`'s kernel, about twice the throughput for clamp-like activations. Its
 * output is float32, or int32 for a compare cast to int32 (step).
 */
export function compileF32Module(
  expr: FusedExpr,
  layouts: readonly InputLayout[],
  memory: MemoryImport = PLAIN_MEMORY,
  /** Classes of the clamp scalars this variant is specialised for (scalar-classes.ts). */
  classes: ReadonlyMap<number, ScalarClass> = new Map(),
): Uint8Array {
  const k = expr.inputDtypes.length;
  const params = kernelParams(expr);
  const f = new FunctionBody(params.length);
  const outPtr = k;
  const byteLength = k + 1;
  const scalarParam = (j: number) => k + 2 + j;
  const constParam = (i: number) => k + 2 + expr.scalarCount + i;
  const inv = invariantNodes(
    expr,
    layouts.map((l) => l === "constant"),
  );

  const consts = declareLaneConstants(f, F32_LANES);
  const locals = expr.nodes.map(() => f.local(ValType.v128));
  const get = (node: number) => f.get(locals[node] as number);
  // An int32 output (a compare cast to int32: 0 or 1) is converted at the store.
  const classOf = (i: number) => {
    const leaf = expr.nodes[i];
    return leaf?.kind === "scalar" ? classes.get(leaf.index) : undefined;
  };
  const emit = (n: ExprNode) => {
    if (n.kind === "cast" && n.dtype === "int32") get(n.arg);
    else emitExactNode(f, F32_LANES, consts, n, get, classOf);
  };

  // Hoisted: scalars, constant inputs and what depends only on them.
  expr.nodes.forEach((n, i) => {
    if (!inv[i]) return;
    if (n.kind === "scalar") f.get(scalarParam(n.index)).op(F32_DEMOTE_F64);
    else if (n.kind === "input") f.get(constParam(n.index)).op(F32_DEMOTE_F64);
    if (n.kind === "scalar" || n.kind === "input") f.simd(SimdF32.f32x4Splat);
    else emit(n);
    f.set(locals[i] as number);
  });

  const offset = f.local(ValType.i32);
  f.op(Op.i32Const).code.i32(0);
  f.set(offset);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(offset).get(byteLength).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  expr.nodes.forEach((n, i) => {
    if (inv[i]) return;
    if (n.kind === "input") {
      f.get(n.index).get(offset).op(Op.i32Add).simd(Simd.v128Load).memarg(4);
    } else {
      emit(n);
    }
    f.set(locals[i] as number);
  });
  f.get(outPtr).get(offset).op(Op.i32Add);
  get(expr.nodes.length - 1);
  if (expr.outDtype === "int32") f.simd(SimdF32.i32x4TruncSatF32x4S);
  f.simd(Simd.v128Store).memarg(4);
  f.get(offset).op(Op.i32Const).code.i32(16);
  f.op(Op.i32Add).set(offset);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);

  return encodeModule([{ params, results: [], body: f, exportName: KERNEL_EXPORT }], memory);
}
