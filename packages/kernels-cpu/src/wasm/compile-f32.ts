import type { ExprNode, FusedExpr } from "@nnkit/core";
import type { InputLayout } from "../elementwise/prepare.js";
import { encodeModule, type MemoryImport, PLAIN_MEMORY } from "./encoder.js";
import { KERNEL_EXPORT, kernelFrame, rowsFunction, vectorLoop } from "./kernel-frame.js";
import { declareLaneConstants, emitExactNode, F32_LANES } from "./lanes.js";
import { F32_DEMOTE_F64, Op, Simd, SimdF32, ValType } from "./opcodes.js";
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
  const frame = kernelFrame(expr, layouts);
  const { f, params, outPtr, scalarParam, constParam, invariant: inv } = frame;

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

  vectorLoop(frame, (offset) => {
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
  });

  return encodeModule(
    [{ params, results: [], body: f, exportName: KERNEL_EXPORT }, rowsFunction(expr)],
    memory,
  );
}
