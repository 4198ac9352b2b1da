import type { ExprNode, FusedExpr } from "@nnkit/core";
import type { InputLayout } from "../elementwise/prepare.js";
import { encodeModule, type MemoryImport, PLAIN_MEMORY } from "./encoder.js";
import { fuseMath } from "./fused-math.js";
import { KERNEL_EXPORT, kernelFrame, rowsFunction, vectorLoop } from "./kernel-frame.js";
import { declareLaneConstants, emitExactNode, F64_LANES } from "./lanes.js";
import {
  type FastOnlyFunction,
  MATH_BINARY,
  MATH_UNARY,
  type MathFunction,
  MathLibrary,
  type MathPrecision,
} from "./math/index.js";
import { Op, Simd, ValType } from "./opcodes.js";
import type { ScalarClass } from "./scalar-classes.js";

/** Byte lanes: the high two float32 of a vector moved to the low half (for promote_low). */
const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Byte lanes: low two float32 of each operand, [a0, a1, b0, b1]. */
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

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
  /** Classes of the clamp scalars this variant is specialised for (scalar-classes.ts). */
  classes: ReadonlyMap<number, ScalarClass> = new Map(),
  precision: MathPrecision = "fast",
): Uint8Array {
  const frame = kernelFrame(expr, layouts);
  const { f, params, outPtr, scalarParam, constParam, invariant: inv } = frame;
  const math = new MathLibrary(1, precision); // function 0 is the kernel

  const consts = declareLaneConstants(f, F64_LANES);

  // Per node: one v128 local if invariant (hoisted), else one per half (lo, hi).
  const locals: [number, number][] = expr.nodes.map((_, i) => {
    const lo = f.local(ValType.v128);
    return [lo, inv[i] ? lo : f.local(ValType.v128)];
  });
  const get = (node: number, half: 0 | 1) => f.get((locals[node] as [number, number])[half]);
  const classOf = (i: number) => {
    const leaf = expr.nodes[i];
    return leaf?.kind === "scalar" ? classes.get(leaf.index) : undefined;
  };
  const emit = (n: ExprNode, half: 0 | 1) =>
    emitExactNode(f, F64_LANES, consts, n, (i) => get(i, half), classOf);

  /**
   * Transcendental nodes are one call for both halves (the math functions interleave the two
   * halves' dependency chains); it leaves the results' lo and hi on the stack. A fused node
   * (`fused-math.ts`) is one call of its fused function on its argument; nodes only it read
   * are not computed at all.
   */
  const fused = fuseMath(expr, classOf, precision);
  const callMath = (n: ExprNode, i: number): boolean => {
    let name: MathFunction | FastOnlyFunction;
    let args: number[];
    const call = fused.calls.get(i);
    if (call !== undefined) [name, args] = [call.fn, [call.arg]];
    else if (n.kind === "unary" && MATH_UNARY.has(n.op))
      [name, args] = [n.op as MathFunction, [n.arg]];
    else if (n.kind === "binary" && MATH_BINARY.has(n.op)) {
      [name, args] = [n.op as MathFunction, [n.lhs, n.rhs]];
    } else return false;
    if (!math.inlines(name)) {
      for (const a of args) get(a, 0).get((locals[a] as [number, number])[1]);
      f.op(Op.call).code.u32(math.index(name));
      return true;
    }
    const [lo, hi] = math.inline(
      name,
      f,
      args.map((a) => locals[a] as [number, number]),
    );
    f.get(lo).get(hi);
    return true;
  };

  const raw = f.local(ValType.v128);

  // Hoisted: scalars, constant inputs and everything depending only on them.
  expr.nodes.forEach((n, i) => {
    if (!inv[i] || !fused.live[i]) return;
    const [lo] = locals[i] as [number, number];
    if (n.kind === "scalar") f.get(scalarParam(n.index)).simd(Simd.f64x2Splat);
    else if (n.kind === "input") f.get(constParam(n.index)).simd(Simd.f64x2Splat);
    // A math call returns two halves, the same here: drop hi.
    else if (callMath(n, i)) f.op(Op.drop);
    else emit(n, 0);
    f.set(lo);
  });

  vectorLoop(frame, (offset) => {
    expr.nodes.forEach((n, i) => {
      if (inv[i] || !fused.live[i]) return;
      const [lo, hi] = locals[i] as [number, number];
      if (n.kind === "input") {
        f.get(n.index).get(offset).op(Op.i32Add).simd(Simd.v128Load).memarg(4);
        f.tee(raw).simd(Simd.f64x2PromoteLowF32x4).set(lo);
        f.get(raw).get(raw).simd(Simd.i8x16Shuffle).code.raw(HIGH_TO_LOW);
        f.simd(Simd.f64x2PromoteLowF32x4).set(hi);
        return;
      }
      if (callMath(n, i)) {
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
  });

  return encodeModule(
    [
      { params, results: [], body: f, exportName: KERNEL_EXPORT },
      ...math.functions(),
      rowsFunction(expr),
    ],
    memory,
    math.constants(),
  );
}
