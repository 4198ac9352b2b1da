import type { ExprNode } from "@nnkit/core";
import type { FunctionBody } from "./encoder.js";
import { F32_DEMOTE_F64, Op, Simd, SimdF32, ValType } from "./opcodes.js";
import type { ScalarClass } from "./scalar-classes.js";

/**
 * The exactly rounded ops of the SIMD kernels, written once for both lane types: float64 lanes
 * (f64x2, `compile-simd.ts`) and float32 lanes (f32x4, `compile-f32.ts`). Only the opcodes
 * differ; the meaning of each op (NaN and signed-zero rules, masks of 0/1) is the same as
 * `semantics.ts`.
 */
export interface LaneOps {
  readonly neg: number;
  readonly abs: number;
  readonly sqrt: number;
  readonly eq: number;
  readonly ne: number;
  readonly lt: number;
  readonly gt: number;
  /** Pseudo-min/max: one instruction each (see scalar-classes.ts for when they are exact). */
  readonly pmin: number;
  readonly pmax: number;
  /** +, −, ×, ÷, max, min by op name. */
  readonly arithmetic: Readonly<Record<string, number>>;
  /** Comparisons by op name (masks; "notEqual" is unordered-or-unequal: true for NaN). */
  readonly compare: Readonly<Record<string, number>>;
  /** Pushes a float64 immediate splatted into every lane. */
  splat(f: FunctionBody, value: number): void;
  /** Instructions rounding a lane value to float32 and back (none in float32 lanes). */
  readonly roundToFloat32: readonly number[];
}

export const F64_LANES: LaneOps = {
  neg: Simd.f64x2Neg,
  abs: Simd.f64x2Abs,
  sqrt: Simd.f64x2Sqrt,
  eq: Simd.f64x2Eq,
  ne: Simd.f64x2Ne,
  lt: Simd.f64x2Lt,
  gt: Simd.f64x2Gt,
  pmin: Simd.f64x2Pmin,
  pmax: Simd.f64x2Pmax,
  arithmetic: {
    add: Simd.f64x2Add,
    subtract: Simd.f64x2Sub,
    multiply: Simd.f64x2Mul,
    divide: Simd.f64x2Div,
    // As Math.max/min: NaN from either side wins, max(+0, -0) = +0, min(+0, -0) = -0.
    maximum: Simd.f64x2Max,
    minimum: Simd.f64x2Min,
  },
  compare: {
    greater: Simd.f64x2Gt,
    greaterEqual: Simd.f64x2Ge,
    less: Simd.f64x2Lt,
    lessEqual: Simd.f64x2Le,
    equal: Simd.f64x2Eq,
    notEqual: Simd.f64x2Ne,
  },
  splat(f, value) {
    f.op(Op.f64Const);
    f.code.f64(value);
    f.simd(Simd.f64x2Splat);
  },
  roundToFloat32: [Simd.f32x4DemoteF64x2Zero, Simd.f64x2PromoteLowF32x4],
};

export const F32_LANES: LaneOps = {
  neg: SimdF32.f32x4Neg,
  abs: SimdF32.f32x4Abs,
  sqrt: SimdF32.f32x4Sqrt,
  eq: SimdF32.f32x4Eq,
  ne: SimdF32.f32x4Ne,
  lt: SimdF32.f32x4Lt,
  gt: SimdF32.f32x4Gt,
  pmin: SimdF32.f32x4Pmin,
  pmax: SimdF32.f32x4Pmax,
  arithmetic: {
    add: SimdF32.f32x4Add,
    subtract: SimdF32.f32x4Sub,
    multiply: SimdF32.f32x4Mul,
    divide: SimdF32.f32x4Div,
    maximum: SimdF32.f32x4Max,
    minimum: SimdF32.f32x4Min,
  },
  compare: {
    greater: SimdF32.f32x4Gt,
    greaterEqual: SimdF32.f32x4Ge,
    less: SimdF32.f32x4Lt,
    lessEqual: SimdF32.f32x4Le,
    equal: SimdF32.f32x4Eq,
    notEqual: SimdF32.f32x4Ne,
  },
  splat(f, value) {
    f.op(Op.f64Const);
    f.code.f64(value);
    f.op(F32_DEMOTE_F64).simd(SimdF32.f32x4Splat);
  },
  roundToFloat32: [],
};

/** Locals holding the splatted constants the exact ops use. */
export interface LaneConstants {
  readonly zero: number;
  readonly one: number;
  readonly negOne: number;
  readonly inf: number;
}

export function declareLaneConstants(f: FunctionBody, lanes: LaneOps): LaneConstants {
  const local = (value: number) => {
    const l = f.local(ValType.v128);
    lanes.splat(f, value);
    f.set(l);
    return l;
  };
  return { zero: local(0), one: local(1), negOne: local(-1), inf: local(Number.POSITIVE_INFINITY) };
}

/**
 * A clamp against a scalar of known class as one pmax/pmin (see scalar-classes.ts); false when
 * the node is not one, or its scalar's class needs the full op.
 */
function emitClamp(
  f: FunctionBody,
  lanes: LaneOps,
  c: LaneConstants,
  n: ExprNode,
  operand: (node: number) => void,
  classOf: (node: number) => ScalarClass | undefined,
): boolean {
  if (n.kind !== "binary" || (n.op !== "maximum" && n.op !== "minimum")) return false;
  // Math.max/min are symmetric, so the scalar may be on either side.
  const [x, k] = classOf(n.rhs) !== undefined ? [n.lhs, n.rhs] : [n.rhs, n.lhs];
  const cls = classOf(k);
  if (cls === undefined || cls === "nan" || classOf(x) !== undefined) return false;
  if (n.op === "maximum") {
    operand(x);
    operand(k);
    f.simd(lanes.pmax);
    // max(-0, +0) is +0; x + (+0) changes nothing else.
    if (cls === "+0") f.get(c.zero).simd(lanes.arithmetic.add as number);
    return true;
  }
  if (cls === "-0") return false; // min(+0, -0) is -0, which pmin does not give
  operand(x);
  operand(k);
  f.simd(lanes.pmin);
  return true;
}

/**
 * Emits an exactly rounded node, leaving its vector on the stack; `operand(i)` pushes node i's
 * vector and `classOf(i)` gives the class of node i's value when it is a scalar the kernel was
 * specialised for. Leaves and math calls are the caller's; anything else unsupported throws.
 */
export function emitExactNode(
  f: FunctionBody,
  lanes: LaneOps,
  c: LaneConstants,
  n: ExprNode,
  operand: (node: number) => void,
  classOf: (node: number) => ScalarClass | undefined = () => undefined,
): void {
  if (emitClamp(f, lanes, c, n, operand, classOf)) return;
  const mask01 = () => f.get(c.one).simd(Simd.v128And);
  switch (n.kind) {
    case "input":
    case "scalar":
      throw new Error("internal: leaves are loaded separately");
    case "unary": {
      const a = () => {
        operand(n.arg);
        return f;
      };
      switch (n.op) {
        case "negative":
          a().simd(lanes.neg);
          return;
        case "abs":
          a().simd(lanes.abs);
          return;
        case "square":
          a();
          a().simd(lanes.arithmetic.multiply as number);
          return;
        case "sqrt":
          a().simd(lanes.sqrt);
          return;
        case "sign":
          // (a > 0 ? 1 : 0) | (a < 0 ? -1 : 0): NaN and ±0 give +0, as semantics.ts.
          a().get(c.zero).simd(lanes.gt).get(c.one).simd(Simd.v128And);
          a().get(c.zero).simd(lanes.lt).get(c.negOne).simd(Simd.v128And);
          f.simd(Simd.v128Or);
          return;
        case "isnan":
          a();
          a().simd(lanes.ne);
          mask01();
          return;
        case "isinf":
          a().simd(lanes.abs).get(c.inf).simd(lanes.eq);
          mask01();
          return;
        case "logicalNot":
          a().get(c.zero).simd(lanes.eq);
          mask01();
          return;
        default:
          throw new Error(`internal: unary ${n.op} has no exact SIMD form`);
      }
    }
    case "binary": {
      operand(n.lhs);
      operand(n.rhs);
      const arith = lanes.arithmetic[n.op];
      if (arith !== undefined) {
        f.simd(arith);
        return;
      }
      const cmp = lanes.compare[n.op];
      if (cmp === undefined) throw new Error(`internal: binary ${n.op} has no exact SIMD form`);
      f.simd(cmp);
      mask01();
      return;
    }
    case "where":
      // c !== 0 ? a : b — NaN counts as true (ne is unordered).
      operand(n.a);
      operand(n.b);
      operand(n.cond);
      f.get(c.zero).simd(lanes.ne);
      f.simd(Simd.v128Bitselect);
      return;
    case "cast":
      operand(n.arg);
      if (n.dtype === "float32") {
        for (const op of lanes.roundToFloat32) f.simd(op);
      } else if (n.dtype === "bool") {
        f.get(c.zero).simd(lanes.ne);
        mask01();
      } else {
        throw new Error(`internal: cast to ${n.dtype} has no SIMD form`);
      }
      return;
  }
}
