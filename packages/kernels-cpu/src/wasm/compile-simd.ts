import type { ExprNode, FusedExpr } from "@nnkit/core";
import { type InputLayout, invariantNodes } from "../elementwise/prepare.js";
import { encodeModule, FunctionBody, type MemoryImport, PLAIN_MEMORY } from "./encoder.js";
import { MATH_BINARY, MATH_UNARY, MathLibrary } from "./math/index.js";
import { Op, Simd, ValType, VOID_BLOCK } from "./opcodes.js";

/**
 * Generated SIMD kernel signature (all pointers and lengths in bytes):
 *   (ptr_0 … ptr_{K-1}: i32, outPtr: i32, byteLength: i32,
 *    scalar_0 … scalar_{S-1}: f64, const_0 … const_{K-1}: f64) → ()
 * ptr_k is used for contiguous inputs, const_k (the element's value) for constant inputs.
 * byteLength is a multiple of 16: the caller pads staging buffers to whole vectors, so there
 * is no scalar tail (padding lanes compute garbage that is never copied out; float SIMD ops
 * cannot trap).
 */
export const KERNEL_EXPORT = "kernel";

export function kernelParams(expr: FusedExpr): ValType[] {
  const k = expr.inputDtypes.length;
  return [
    ...Array<ValType>(k + 2).fill(ValType.i32),
    ...Array<ValType>(expr.scalarCount + k).fill(ValType.f64),
  ];
}

/** Byte lanes: the high two float32 of a vector moved to the low half (for promote_low). */
const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Byte lanes: low two float32 of each operand, [a0, a1, b0, b1]. */
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

const BINARY_SIMD: Record<string, number> = {
  add: Simd.f64x2Add,
  subtract: Simd.f64x2Sub,
  multiply: Simd.f64x2Mul,
  divide: Simd.f64x2Div,
  // Same as Math.max/min: NaN from either side wins, max(+0, -0) = +0, min(+0, -0) = -0.
  maximum: Simd.f64x2Max,
  minimum: Simd.f64x2Min,
};

const COMPARE_SIMD: Record<string, number> = {
  greater: Simd.f64x2Gt,
  greaterEqual: Simd.f64x2Ge,
  less: Simd.f64x2Lt,
  lessEqual: Simd.f64x2Le,
  equal: Simd.f64x2Eq,
  // Unordered-or-unequal: true for NaN, as JavaScript's !==.
  notEqual: Simd.f64x2Ne,
};

/**
 * Compiles a supported expression (see `support.ts`) to a module whose one function processes
 * 4 float32 per iteration: load f32x4, promote to two f64x2, evaluate every node in float64
 * exactly as `semantics.ts` defines it, demote once and store. Transcendental ops are calls to
 * internal vector functions (`math/`), appended to the module after the kernel as needed.
 */
export function compileSimdModule(
  expr: FusedExpr,
  layouts: readonly InputLayout[],
  memory: MemoryImport = PLAIN_MEMORY,
): Uint8Array {
  const k = expr.inputDtypes.length;
  const params = kernelParams(expr);
  const f = new FunctionBody(params.length);
  const math = new MathLibrary(1); // function 0 is the kernel
  const outPtr = k;
  const byteLength = k + 1;
  const scalarParam = (j: number) => k + 2 + j;
  const constParam = (i: number) => k + 2 + expr.scalarCount + i;

  const inv = invariantNodes(
    expr,
    layouts.map((l) => l === "constant"),
  );

  // Splatted constants.
  const splat = (value: number) => {
    const local = f.local(ValType.v128);
    f.op(Op.f64Const);
    f.code.f64(value);
    f.simd(Simd.f64x2Splat).set(local);
    return local;
  };
  const ZERO = splat(0);
  const ONE = splat(1);
  const NEG_ONE = splat(-1);
  const INF = splat(Number.POSITIVE_INFINITY);

  // Per node: one v128 local if invariant (hoisted), else one per half (lo, hi).
  const locals: [number, number][] = expr.nodes.map((_, i) => {
    const lo = f.local(ValType.v128);
    return [lo, inv[i] ? lo : f.local(ValType.v128)];
  });
  const get = (node: number, half: 0 | 1) => f.get((locals[node] as [number, number])[half]);
  const mask01 = () => f.get(ONE).simd(Simd.v128And);

  const emit = (n: ExprNode, half: 0 | 1) => {
    switch (n.kind) {
      case "input":
      case "scalar":
        throw new Error("internal: leaves are loaded separately");
      case "unary": {
        const a = () => get(n.arg, half);
        switch (n.op) {
          case "negative":
            a().simd(Simd.f64x2Neg);
            return;
          case "abs":
            a().simd(Simd.f64x2Abs);
            return;
          case "square":
            a();
            a().simd(Simd.f64x2Mul);
            return;
          case "sqrt":
            a().simd(Simd.f64x2Sqrt);
            return;
          case "sign":
            // (a > 0 ? 1 : 0) | (a < 0 ? -1 : 0): NaN and ±0 give +0, as semantics.ts.
            a().get(ZERO).simd(Simd.f64x2Gt).get(ONE).simd(Simd.v128And);
            a().get(ZERO).simd(Simd.f64x2Lt).get(NEG_ONE).simd(Simd.v128And);
            f.simd(Simd.v128Or);
            return;
          case "isnan":
            a();
            a().simd(Simd.f64x2Ne);
            mask01();
            return;
          case "isinf":
            a().simd(Simd.f64x2Abs).get(INF).simd(Simd.f64x2Eq);
            mask01();
            return;
          case "logicalNot":
            a().get(ZERO).simd(Simd.f64x2Eq);
            mask01();
            return;
          default:
            throw new Error(`internal: unary ${n.op} has no SIMD form`);
        }
      }
      case "binary": {
        get(n.lhs, half);
        get(n.rhs, half);
        const arith = BINARY_SIMD[n.op];
        if (arith !== undefined) {
          f.simd(arith);
          return;
        }
        const cmp = COMPARE_SIMD[n.op];
        if (cmp === undefined) throw new Error(`internal: binary ${n.op} has no SIMD form`);
        f.simd(cmp);
        mask01();
        return;
      }
      case "where":
        // c !== 0 ? a : b — NaN counts as true (f64x2.ne is unordered).
        get(n.a, half);
        get(n.b, half);
        get(n.cond, half).get(ZERO).simd(Simd.f64x2Ne);
        f.simd(Simd.v128Bitselect);
        return;
      case "cast":
        get(n.arg, half);
        if (n.dtype === "float32") {
          f.simd(Simd.f32x4DemoteF64x2Zero).simd(Simd.f64x2PromoteLowF32x4);
        } else if (n.dtype === "bool") {
          f.get(ZERO).simd(Simd.f64x2Ne);
          mask01();
        } else {
          throw new Error(`internal: cast to ${n.dtype} has no SIMD form`);
        }
        return;
    }
  };

  /**
   * Transcendental nodes are one call for both halves (the math functions interleave the two
   * halves' dependency chains); it leaves the results' lo and hi on the stack.
   */
  const callMath = (n: ExprNode): boolean => {
    let args: number[];
    if (n.kind === "unary" && MATH_UNARY.has(n.op)) args = [n.arg];
    else if (n.kind === "binary" && MATH_BINARY.has(n.op)) args = [n.lhs, n.rhs];
    else return false;
    for (const arg of args) {
      get(arg, 0);
      get(arg, 1);
    }
    f.op(Op.call).code.u32(math.index(n.op));
    return true;
  };

  const offset = f.local(ValType.i32);
  const raw = f.local(ValType.v128);

  // Hoisted: scalars, constant inputs and everything depending only on them.
  expr.nodes.forEach((n, i) => {
    if (!inv[i]) return;
    const [lo] = locals[i] as [number, number];
    if (n.kind === "scalar") f.get(scalarParam(n.index)).simd(Simd.f64x2Splat);
    else if (n.kind === "input") f.get(constParam(n.index)).simd(Simd.f64x2Splat);
    // A math call returns two halves, the same here: drop hi.
    else if (callMath(n)) f.op(Op.drop);
    else emit(n, 0);
    f.set(lo);
  });

  f.op(Op.i32Const).code.i32(0);
  f.set(offset);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(offset).get(byteLength).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  expr.nodes.forEach((n, i) => {
    if (inv[i]) return;
    const [lo, hi] = locals[i] as [number, number];
    if (n.kind === "input") {
      f.get(n.index).get(offset).op(Op.i32Add).simd(Simd.v128Load).memarg(4);
      f.tee(raw).simd(Simd.f64x2PromoteLowF32x4).set(lo);
      f.get(raw).get(raw).simd(Simd.i8x16Shuffle).code.raw(HIGH_TO_LOW);
      f.simd(Simd.f64x2PromoteLowF32x4).set(hi);
      return;
    }
    if (callMath(n)) {
      f.set(hi).set(lo);
      return;
    }
    emit(n, 0);
    f.set(lo);
    emit(n, 1);
    f.set(hi);
  });
  const last = expr.nodes.length - 1;
  f.get(outPtr).get(offset).op(Op.i32Add);
  get(last, 0).simd(Simd.f32x4DemoteF64x2Zero);
  get(last, 1).simd(Simd.f32x4DemoteF64x2Zero);
  f.simd(Simd.i8x16Shuffle).code.raw(JOIN_LOWS);
  f.simd(Simd.v128Store).memarg(4);
  f.get(offset).op(Op.i32Const).code.i32(16);
  f.op(Op.i32Add).set(offset);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);

  return encodeModule(
    [{ params, results: [], body: f, exportName: KERNEL_EXPORT }, ...math.functions()],
    memory,
    math.constants(),
  );
}
