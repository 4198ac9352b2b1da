import type { ExprNode, FusedExpr } from "@nnkit/core";
import { type InputLayout, invariantNodes } from "../elementwise/prepare.js";
import { KERNEL_EXPORT, kernelParams } from "./compile-simd.js";
import { encodeModule, FunctionBody, type MemoryImport, PLAIN_MEMORY } from "./encoder.js";
import { F32_DEMOTE_F64, Op, Simd, SimdF32, ValType, VOID_BLOCK } from "./opcodes.js";

const BINARY: Record<string, number> = {
  add: SimdF32.f32x4Add,
  subtract: SimdF32.f32x4Sub,
  multiply: SimdF32.f32x4Mul,
  divide: SimdF32.f32x4Div,
  // NaN from either side wins and -0 < +0, as f64x2.min/max and Math.min/max.
  maximum: SimdF32.f32x4Max,
  minimum: SimdF32.f32x4Min,
};

const COMPARE: Record<string, number> = {
  greater: SimdF32.f32x4Gt,
  greaterEqual: SimdF32.f32x4Ge,
  less: SimdF32.f32x4Lt,
  lessEqual: SimdF32.f32x4Le,
  equal: SimdF32.f32x4Eq,
  notEqual: SimdF32.f32x4Ne,
};

/**
 * Compiles an expression that `f32Plan` accepts to a kernel working on four float32 lanes per
 * instruction, with no promotion to float64: the same signature and results as
 * `compileSimdModule`'s kernel, about twice the throughput for clamp-like activations.
 */
export function compileF32Module(
  expr: FusedExpr,
  layouts: readonly InputLayout[],
  memory: MemoryImport = PLAIN_MEMORY,
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

  const splat = (value: number) => {
    const local = f.local(ValType.v128);
    f.op(Op.f64Const);
    f.code.f64(value);
    f.op(F32_DEMOTE_F64).simd(SimdF32.f32x4Splat).set(local);
    return local;
  };
  const ZERO = splat(0);
  const ONE = splat(1);
  const NEG_ONE = splat(-1);
  const INF = splat(Number.POSITIVE_INFINITY);
  const locals = expr.nodes.map(() => f.local(ValType.v128));
  const get = (node: number) => f.get(locals[node] as number);
  const mask01 = () => f.get(ONE).simd(Simd.v128And);

  const emit = (n: ExprNode) => {
    switch (n.kind) {
      case "input":
      case "scalar":
        throw new Error("internal: leaves are loaded separately");
      case "unary": {
        const a = () => get(n.arg);
        switch (n.op) {
          case "negative":
            a().simd(SimdF32.f32x4Neg);
            return;
          case "abs":
            a().simd(SimdF32.f32x4Abs);
            return;
          case "square":
            a();
            a().simd(SimdF32.f32x4Mul);
            return;
          case "sqrt":
            a().simd(SimdF32.f32x4Sqrt);
            return;
          case "sign":
            a().get(ZERO).simd(SimdF32.f32x4Gt).get(ONE).simd(Simd.v128And);
            a().get(ZERO).simd(SimdF32.f32x4Lt).get(NEG_ONE).simd(Simd.v128And);
            f.simd(Simd.v128Or);
            return;
          case "isnan":
            a();
            a().simd(SimdF32.f32x4Ne);
            mask01();
            return;
          case "isinf":
            a().simd(SimdF32.f32x4Abs).get(INF).simd(SimdF32.f32x4Eq);
            mask01();
            return;
          case "logicalNot":
            a().get(ZERO).simd(SimdF32.f32x4Eq);
            mask01();
            return;
          default:
            throw new Error(`internal: unary ${n.op} has no float32-lane form`);
        }
      }
      case "binary": {
        get(n.lhs);
        get(n.rhs);
        const arith = BINARY[n.op];
        if (arith !== undefined) {
          f.simd(arith);
          return;
        }
        const cmp = COMPARE[n.op];
        if (cmp === undefined) throw new Error(`internal: binary ${n.op} has no float32-lane form`);
        f.simd(cmp);
        mask01();
        return;
      }
      case "where":
        get(n.a);
        get(n.b);
        get(n.cond).get(ZERO).simd(SimdF32.f32x4Ne);
        f.simd(Simd.v128Bitselect);
        return;
      case "cast":
        get(n.arg);
        if (n.dtype === "bool") {
          f.get(ZERO).simd(SimdF32.f32x4Ne);
          mask01();
        }
        return;
    }
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
  f.simd(Simd.v128Store).memarg(4);
  f.get(offset).op(Op.i32Const).code.i32(16);
  f.op(Op.i32Add).set(offset);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);

  return encodeModule([{ params, results: [], body: f, exportName: KERNEL_EXPORT }], memory);
}
