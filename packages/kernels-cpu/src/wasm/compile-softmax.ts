import type { SoftmaxVariant } from "@nnkit/core";
import { encodeModule, FunctionBody, type MemoryImport } from "./encoder.js";
import { KERNEL_EXPORT } from "./kernel-frame.js";
import { MathLibrary, type MathPrecision } from "./math/index.js";
import {
  F32_DEMOTE_F64,
  Op,
  RowOp,
  RowSimd,
  Simd,
  SimdF32,
  ValType,
  VOID_BLOCK,
} from "./opcodes.js";

/**
 * Softmax kernel signature: (inPtr: i32, outPtr: i32, rows: i32, n: i32, scratch: i32,
 * thread: i32) → (), over `rows` consecutive float32 rows of n elements each, input and output
 * alike. `scratch`, when not 0, holds one slot of 8·⌈n/4⌉·4 bytes per thread (16-byte aligned),
 * `thread` is the slot of the thread running (the pool's thread argument): softmax keeps each
 * row's exp(x_j − m) there in pass 2 instead of computing them again in pass 3.
 */
export const SOFTMAX_PARAMS = {
  inPtr: 0,
  outPtr: 1,
  rows: 2,
  n: 3,
  scratch: 4,
  thread: 5,
} as const;

/** Bytes of one thread's scratch slot for rows of n (float64 per element, whole vectors). */
export function softmaxSlotBytes(n: number): number {
  return Math.ceil(n / 4) * 4 * 8;
}

/** The f32 value type (scalar locals only; the vector code has no use for it). */
const F32_TYPE = 0x7d as ValType;

/** Byte lanes: the high two float32 of a vector moved to the low half (for promote_low). */
const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
/** Byte lanes: low two float32 of each operand, [a0, a1, b0, b1]. */
const JOIN_LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];

/**
 * Compiles softmax, log-softmax or softmin over contiguous float32 rows, computing what
 * `reduce/softmax.ts` computes (bit for bit with the "reproducible" math): per row the max m (the first maximal element, as
 * its sign of zero matters), NaN for a row with a NaN or a non-finite max, t = Σ exp(x_j − m)
 * over j ≠ argmax accumulated as two interleaved float64 sums (even j, odd j; t = even + odd),
 * then exp(x_j − m) / (1 + t), or (x_j − m) − log1p(t), each rounded once to float32. `exp` and
 * `log1p` are the vectorised functions of `math/` (the reproducible ones bit-identical to V8's).
 *
 * Three passes per row (max, sum, write), four elements at a time. Lanes past the row's end
 * are masked out of the max and the sum and never stored, so a row never writes into the next
 * (rows may be split across threads). Softmax with a scratch slot stores pass 2's exps there
 * and pass 3 reads them back: the same values as computing them again, for half the exps.
 * With the "fast" math, exp is the error-bounded one and pass 3 multiplies by 1/(1 + t)
 * instead of dividing (the results are then within 1 ulp of exact, not the JavaScript bits).
 * softmin is softmax with every load negated (f32x4.neg, exact): the row's max is then the max
 * of −x, and nothing else changes.
 */
export function compileSoftmaxModule(
  variant: SoftmaxVariant,
  memory: MemoryImport,
  precision: MathPrecision = "fast",
): Uint8Array {
  const P = SOFTMAX_PARAMS;
  const log = variant === "logSoftmax";
  const negate = variant === "softmin";
  const f = new FunctionBody(6);
  const math = new MathLibrary(1, precision); // function 0 is the kernel
  const i32 = (v: number) => {
    f.op(Op.i32Const).code.i32(v);
    return f;
  };
  const f64 = (v: number) => {
    f.op(Op.f64Const).code.f64(v);
    return f;
  };
  const v128 = () => f.local(ValType.v128);
  const i32Local = () => f.local(ValType.i32);
  const f64Local = () => f.local(ValType.f64);

  const row = i32Local();
  const inRow = i32Local();
  const outRow = i32Local();
  const j = i32Local();
  const argmax = i32Local();
  const m32 = f.local(F32_TYPE);
  const t = f64Local();
  const nVec = v128(); // i32x4 splat n
  const maxVec = v128();
  const nanVec = v128(); // lanes that met a NaN
  const negInf = v128();
  const raw = v128();
  const lo = v128();
  const hi = v128();
  const mVec = v128(); // f64x2 splat m
  const acc = v128();
  const pairIdx = v128(); // f64x2 [j, j+1]
  const keepOut = v128(); // f64x2 splat argmax
  const nF64 = v128(); // f64x2 splat n
  const two = v128();
  const zero = v128();
  const norm = v128(); // f64x2 splat (1 + t) or log1p(t)
  const outVec = v128();
  const elo = v128();
  const ehi = v128();
  const slot = i32Local(); // this thread's scratch slot, 0 for none (log-softmax never has one)

  /**
   * Runs `body(false)` for each whole vector (j = 0, 4, … while j + 4 ≤ n), then `body(true)`
   * once for a partial last vector (1 to 3 lanes): only that one needs lane masks.
   */
  const overRow = (body: (partial: boolean) => void) => {
    i32(0).set(j);
    f.op(Op.block).code.byte(VOID_BLOCK);
    f.op(Op.loop).code.byte(VOID_BLOCK);
    f.get(P.n).get(j);
    i32(4).op(Op.i32Add).op(RowOp.i32LtU).op(Op.brIf).code.u32(1);
    body(false);
    f.get(j);
    i32(4).op(Op.i32Add).set(j);
    f.op(Op.br).code.u32(0);
    f.op(Op.end).op(Op.end);
    f.get(j).get(P.n).op(RowOp.i32LtU).op(Op.if).code.byte(VOID_BLOCK);
    body(true);
    f.op(Op.end);
  };
  /** Pushes base + 4·index. */
  const address = (base: number, index: number) => {
    f.get(base).get(index);
    i32(2).op(RowOp.i32Shl).op(Op.i32Add);
    return f;
  };
  /** Pushes the input vector at j (negated for softmin). */
  const loadAt = (base: number) => {
    address(base, j).simd(Simd.v128Load).memarg(2);
    if (negate) f.simd(SimdF32.f32x4Neg);
    return f;
  };
  /** Pushes the input element at `index` as a scalar f32 (negated for softmin). */
  const loadScalar = (index: number) => {
    address(inRow, index).op(RowOp.f32Load).memarg(2);
    if (negate) f.op(RowOp.f32Neg);
    return f;
  };
  /** lo, hi = the vector's four float32 as two f64x2 (from `raw`). */
  const promote = () => {
    f.get(raw).simd(Simd.f64x2PromoteLowF32x4).set(lo);
    f.get(raw).get(raw).simd(Simd.i8x16Shuffle).code.raw(HIGH_TO_LOW);
    f.simd(Simd.f64x2PromoteLowF32x4).set(hi);
  };
  const call = (name: string) => f.op(Op.call).code.u32(math.index(name));

  // The scratch slot: scratch + thread · (bytes per slot).
  if (!log) {
    f.get(P.scratch).op(Op.if).code.byte(VOID_BLOCK);
    f.get(P.n);
    i32(3).op(Op.i32Add);
    i32(-4).op(RowOp.i32And);
    i32(3).op(RowOp.i32Shl).get(P.thread).op(RowOp.i32Mul);
    f.get(P.scratch).op(Op.i32Add).set(slot);
    f.op(Op.end);
  }
  /** Pushes slot + 8·j: where element j's float64 exp lives. */
  const slotAddress = () => {
    f.get(slot).get(j);
    i32(3).op(RowOp.i32Shl).op(Op.i32Add);
  };

  // Constants.
  f64(Number.NEGATIVE_INFINITY).op(F32_DEMOTE_F64).simd(SimdF32.f32x4Splat).set(negInf);
  f64(2).simd(Simd.f64x2Splat).set(two);
  f64(0).simd(Simd.f64x2Splat).set(zero);
  f.get(P.n).simd(RowSimd.i32x4Splat).set(nVec);
  f.get(P.n).op(RowOp.f64ConvertI32S).simd(Simd.f64x2Splat).set(nF64);

  i32(0).set(row);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(row).get(P.rows).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  // Row addresses: ptr + row · n · 4.
  f.get(row).get(P.n).op(RowOp.i32Mul);
  i32(2).op(RowOp.i32Shl);
  f.op(Op.localTee).code.u32(inRow);
  f.get(P.outPtr).op(Op.i32Add).set(outRow);
  f.get(inRow).get(P.inPtr).op(Op.i32Add).set(inRow);

  // Pass 1: the max, with pmax (one instruction on x86, where f32x4.max takes several for its
  // NaN and zero rules) and NaNs noted on the side; a partial vector's lanes past the end read
  // as -inf. Which zero pmax keeps does not matter: m is taken from the argmax element below.
  f.get(negInf).set(maxVec);
  f.simd(Simd.v128Const).code.raw(Array<number>(16).fill(0));
  f.set(nanVec);
  overRow((partial) => {
    loadAt(inRow);
    if (partial) {
      f.get(negInf);
      f.get(j).simd(RowSimd.i32x4Splat);
      f.simd(Simd.v128Const).code.raw([0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]);
      f.simd(RowSimd.i32x4Add).get(nVec).simd(RowSimd.i32x4LtS);
      f.simd(Simd.v128Bitselect);
    }
    f.set(raw);
    f.get(raw).get(raw).simd(SimdF32.f32x4Ne).get(nanVec).simd(Simd.v128Or).set(nanVec);
    f.get(maxVec).get(raw).simd(SimdF32.f32x4Pmax).set(maxVec);
  });
  for (let lane = 0; lane < 4; lane++) {
    f.get(maxVec).simd(RowSimd.f32x4ExtractLane).code.byte(lane);
    if (lane > 0) f.op(RowOp.f32Max);
  }
  f.set(m32);

  // A NaN anywhere, or a max of ±inf (all -inf included): the whole row is NaN.
  f.get(nanVec).simd(Simd.v128AnyTrue);
  f.get(m32).op(RowOp.f32Abs);
  f64(Number.POSITIVE_INFINITY).op(F32_DEMOTE_F64).op(RowOp.f32Eq);
  f.op(RowOp.i32Or);
  f.op(Op.if).code.byte(VOID_BLOCK);
  i32(0).set(j);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(j).get(P.n).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  address(outRow, j);
  f64(Number.NaN).op(F32_DEMOTE_F64).op(RowOp.f32Store).memarg(2);
  f.get(j);
  i32(1).op(Op.i32Add).set(j);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
  f.op(RowOp.else);

  // argmax: the first element equal to the max; m is that element (its sign of zero).
  i32(0).set(argmax);
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  loadScalar(argmax);
  f.get(m32).op(RowOp.f32Eq).op(Op.brIf).code.u32(1);
  f.get(argmax);
  i32(1).op(Op.i32Add).set(argmax);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
  loadScalar(argmax);
  f.op(RowOp.f64PromoteF32).simd(Simd.f64x2Splat).set(mVec);
  f.get(argmax).op(RowOp.f64ConvertI32S).simd(Simd.f64x2Splat).set(keepOut);

  // Pass 2: t, lane 0 summing even j and lane 1 odd j, in order; argmax and the tail add +0.
  f.get(zero).set(acc);
  f64(0).simd(Simd.f64x2Splat);
  f64(1).simd(Simd.f64x2ReplaceLane).code.byte(1);
  f.set(pairIdx);
  /** elo, ehi = exp(lo − m), exp(hi − m): one call, the math functions take lane pairs. */
  const expPair = () => {
    const [dlo, dhi] = [v128(), v128()];
    f.get(lo).get(mVec).simd(Simd.f64x2Sub).set(dlo);
    f.get(hi).get(mVec).simd(Simd.f64x2Sub).set(dhi);
    // Inlined: a call would spill the loop's live vectors around it. x − m ≤ 0 here, which
    // the fast math's exp for non-positive arguments needs (no overflow handling).
    const [rlo, rhi] = math.inline(precision === "fast" ? "expNonPositive" : "exp", f, [
      [dlo, dhi],
    ]);
    f.get(rlo).set(elo);
    f.get(rhi).set(ehi);
  };
  /** acc += e, but +0 at the argmax and (in a partial vector) past the row's end. */
  const addTerms = (e: number, partial: boolean) => {
    f.get(e);
    f.get(pairIdx).get(keepOut).simd(Simd.f64x2Ne);
    if (partial) {
      f.get(pairIdx).get(nF64).simd(Simd.f64x2Lt);
      f.simd(Simd.v128And);
    }
    // e is never negative, so e & mask is e or +0: bitselect(e, 0, mask) in one instruction.
    f.simd(Simd.v128And);
    f.get(acc).simd(Simd.f64x2Add).set(acc);
    f.get(pairIdx).get(two).simd(Simd.f64x2Add).set(pairIdx);
  };
  overRow((partial) => {
    loadAt(inRow);
    f.set(raw);
    promote();
    expPair();
    if (!log) {
      // Kept for pass 3 (lanes past the row's end too: the slot holds whole vectors).
      f.get(slot).op(Op.if).code.byte(VOID_BLOCK);
      slotAddress();
      f.get(elo).simd(Simd.v128Store).memarg(3);
      slotAddress();
      f.get(ehi).simd(Simd.v128Store).memarg(3, 16);
      f.op(Op.end);
    }
    addTerms(elo, partial);
    addTerms(ehi, partial);
  });
  f.get(acc).simd(Simd.f64x2ExtractLane).code.byte(0);
  f.get(acc).simd(Simd.f64x2ExtractLane).code.byte(1);
  f.op(RowOp.f64Add).set(t);
  if (log) {
    f.get(t).simd(Simd.f64x2Splat);
    f.get(t).simd(Simd.f64x2Splat);
    call("log1p");
    f.op(RowOp.drop);
    f.simd(Simd.f64x2ExtractLane).code.byte(0);
    f.simd(Simd.f64x2Splat).set(norm);
  } else if (precision === "fast") {
    // 1/(1 + t), so that pass 3 multiplies: two roundings of 2^-53 where one division had one.
    f64(1);
    f64(1).get(t).op(RowOp.f64Add);
    f.op(RowOp.f64Div).simd(Simd.f64x2Splat).set(norm);
  } else {
    f64(1).get(t).op(RowOp.f64Add).simd(Simd.f64x2Splat).set(norm);
  }

  // Pass 3: write each value, rounded once; a partial last vector lane by lane.
  const writeValues = () => {
    if (log) {
      f.get(lo).get(mVec).simd(Simd.f64x2Sub).get(norm).simd(Simd.f64x2Sub);
      f.simd(Simd.f32x4DemoteF64x2Zero);
      f.get(hi).get(mVec).simd(Simd.f64x2Sub).get(norm).simd(Simd.f64x2Sub);
      f.simd(Simd.f32x4DemoteF64x2Zero);
    } else {
      // The exps from pass 2's slot, or computed again where there is none.
      f.get(slot).op(Op.if).code.byte(VOID_BLOCK);
      slotAddress();
      f.simd(Simd.v128Load).memarg(3).set(elo);
      slotAddress();
      f.simd(Simd.v128Load).memarg(3, 16).set(ehi);
      f.op(RowOp.else);
      expPair();
      f.op(Op.end);
      const scale = precision === "fast" ? Simd.f64x2Mul : Simd.f64x2Div;
      f.get(elo).get(norm).simd(scale).simd(Simd.f32x4DemoteF64x2Zero);
      f.get(ehi).get(norm).simd(scale).simd(Simd.f32x4DemoteF64x2Zero);
    }
  };
  const outAddress = () => address(outRow, j);
  overRow((partial) => {
    loadAt(inRow);
    f.set(raw);
    promote();
    writeValues();
    f.simd(Simd.i8x16Shuffle).code.raw(JOIN_LOWS);
    if (!partial) {
      f.set(outVec);
      outAddress().get(outVec).simd(Simd.v128Store).memarg(2);
      return;
    }
    // Only the lanes below n (at most 3).
    f.set(outVec);
    for (let lane = 0; lane < 3; lane++) {
      f.get(j);
      i32(lane).op(Op.i32Add).get(P.n).op(RowOp.i32LtS);
      f.op(Op.if).code.byte(VOID_BLOCK);
      outAddress()
        .get(outVec)
        .simd(RowSimd.v128Store32Lane)
        .memarg(2, lane * 4);
      f.code.byte(lane);
      f.op(Op.end);
    }
  });
  f.op(Op.end); // if NaN row … else …

  f.get(row);
  i32(1).op(Op.i32Add).set(row);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);

  const params = Array<ValType>(6).fill(ValType.i32);
  return encodeModule(
    [{ params, results: [], body: f, exportName: KERNEL_EXPORT }, ...math.functions()],
    memory,
    math.constants(),
  );
}
