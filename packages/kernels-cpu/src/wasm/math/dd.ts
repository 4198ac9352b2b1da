/**
 * Vector ports of the double-double helpers of `src/math/dd.ts` (two-sum, Dekker's two-product,
 * the exponential kernel expDD), operation for operation, so that nnkit's tanh and erfc
 * transcribe to f64x2 with the same bits. A returned [hi, lo] stands for the scalar code's
 * result registers dd[0], dd[1].
 */

import { INV_LN2_64, LN2_64_HI, LN2_64_LO, SPLITTER, TAB_HI, TAB_LO } from "../../math/dd.js";
import { FunctionBody } from "../encoder.js";
import { Op, Simd, ValType, VOID_BLOCK } from "../opcodes.js";
import type { MathCalls } from "./index.js";
import type { V, VecBuilder } from "./vec.js";

/** Exact a + b = s + e (Knuth). */
export function twoSum(b: VecBuilder, x: V, y: V): [V, V] {
  const s = b.add(x, y);
  const bb = b.sub(s, x);
  return [s, b.add(b.sub(x, b.sub(s, bb)), b.sub(y, bb))];
}

/** Veltkamp's split of a into a 26-bit high part and the rest. */
function split(b: VecBuilder, a: V): [V, V] {
  const t = b.mul(b.f64(SPLITTER), a);
  const hi = b.sub(t, b.sub(t, a));
  return [hi, b.sub(a, hi)];
}

/** Exact a * b = p + e (Dekker). */
export function twoProd(b: VecBuilder, x: V, y: V): [V, V] {
  const p = b.mul(x, y);
  const [xh, xl] = split(b, x);
  const [yh, yl] = split(b, y);
  const e = b.add(
    b.add(b.add(b.sub(b.mul(xh, yh), p), b.mul(xh, yl)), b.mul(xl, yh)),
    b.mul(xl, yl),
  );
  return [p, e];
}

/**
 * The table function: j (i32, 0..63) → v128 [TAB_HI[j], TAB_LO[j]], the double-double
 * 2^(j/64) of dd.ts's table (the same doubles: they are copied from it). A br_table over 64
 * nested blocks: the module has no data segment (its memory is the runtime's), and SIMD has no
 * gather, so a lookup is one call per lane.
 */
export function expTableBody(): FunctionBody {
  const f = new FunctionBody(1);
  for (let j = 0; j < 64; j++) f.op(Op.block).code.byte(VOID_BLOCK);
  f.get(0).op(Op.brTable).code.u32(64);
  for (let j = 0; j < 64; j++) f.code.u32(j);
  f.code.u32(63); // default (unreachable: j is masked to 0..63)
  for (let j = 0; j < 64; j++) {
    f.op(Op.end);
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setFloat64(0, TAB_HI[j] as number, true);
    view.setFloat64(8, TAB_LO[j] as number, true);
    f.simd(Simd.v128Const).code.raw(bytes);
    if (j < 63) f.op(Op.return);
  }
  return f;
}

export const EXP_TABLE = { params: [ValType.i32], results: [ValType.v128], body: expTableBody };

/**
 * expDD(eh, el): exp(eh + el) = 2^k (hi + lo), with k as i64 lanes. The same steps as dd.ts:
 * kk = Math.round(eh 64/ln2), r = eh - kk ln2/64 in double-double, 2^(j/64) from the table for
 * j = kk & 63 (two's complement, as JavaScript's &), k = (kk - j)/64 (an arithmetic shift here),
 * then the same degree-7 polynomial and double-double assembly.
 */
export function expDD(b: VecBuilder, calls: MathCalls, eh: V, el: V): { k: V; hi: V; lo: V } {
  const kk = b.round(b.mul(eh, b.f64(INV_LN2_64)));
  const t = b.sub(eh, b.mul(kk, b.f64(LN2_64_HI)));
  const p = b.mul(kk, b.f64(LN2_64_LO));
  const [rh, r1] = twoSum(b, t, b.neg(p));
  const rl = b.add(r1, el);
  const ki = b.toI64(kk);
  const j = b.and(ki, b.i64(63n));
  const k = b.shrS(ki, 6);
  const [th, tl] = b.lookup(calls.index("expTable"), j);
  const q = b.mul(b.mul(rh, rh), b.horner(rh, [0.5, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]));
  const v = b.add(b.add(q, rl), b.mul(rl, rh));
  const [ph, pl] = twoProd(b, th, rh);
  const sh = b.add(th, ph);
  const sl = b.sub(ph, b.sub(sh, th));
  const lo = b.add(b.add(b.add(b.add(sl, pl), b.mul(th, v)), tl), b.mul(tl, b.add(rh, v)));
  const hi = b.add(sh, lo);
  return { k, hi, lo: b.sub(lo, b.sub(hi, sh)) };
}

/**
 * ratioDD(p, q, t, dt): P(t + dt) / Q(t + dt) as a double-double, with P and Q by compensated
 * Horner (coefficients highest degree first, as dd.ts takes them) and a compensated quotient.
 * The scalar loop is unrolled: the coefficient lists are fixed. Coefficients may be vectors
 * that differ per lane (see `VecBuilder.coefficients`): at t > 0, a leading zero coefficient
 * changes nothing, as its step leaves s = the next coefficient, e = +0 and d = +0 — the state
 * the loop starts from (every product and sum in that step is an exact ±0 + ±0 or c + 0).
 */
export function ratioDD(b: VecBuilder, p: readonly V[], q: readonly V[], t: V, dt: V): [V, V] {
  const [th, tl] = split(b, t);
  const zero = b.f64(0);
  const horner = (c: readonly V[]): [V, V] => {
    let s = c[0] as V;
    let e = zero; // running error term of the compensated scheme
    let d = zero; // plain Horner derivative
    for (let i = 1; i < c.length; i++) {
      d = b.add(b.mul(d, t), s);
      const pr = b.mul(s, t);
      const [sh, sl] = split(b, s);
      const pe = b.add(
        b.add(b.add(b.sub(b.mul(sh, th), pr), b.mul(sh, tl)), b.mul(sl, th)),
        b.mul(sl, tl),
      );
      const a = c[i] as V;
      const sum = b.add(pr, a);
      const bb = b.sub(sum, pr);
      const se = b.add(b.sub(pr, b.sub(sum, bb)), b.sub(a, bb));
      s = sum;
      e = b.add(b.mul(e, t), b.add(pe, se));
    }
    return [s, b.add(e, b.mul(dt, d))];
  };
  const [ph, pl] = horner(p);
  const [qh, ql] = horner(q);
  const q1 = b.div(ph, qh);
  const [r0, r1] = twoProd(b, q1, qh);
  const q2 = b.div(b.sub(b.add(b.sub(b.sub(ph, r0), r1), pl), b.mul(q1, ql)), qh);
  const h = b.add(q1, q2);
  return [h, b.sub(q2, b.sub(h, q1))];
}

/** 2^k for f64 lanes k, exact for integers in [-1022, 1023] (clamped there otherwise). */
function pow2Of(b: VecBuilder, k: V): V {
  return b.pow2(b.toI64(b.max(b.min(k, b.f64(1023)), b.f64(-1022))));
}

/**
 * scaleRound(h, l, k): (h + l) 2^k correctly rounded even where the result is subnormal (the
 * low part decides the rounding on the subnormal grid); k as i64 lanes. dd.ts's branches, all
 * computed and selected; the sign is handled by negating in and out, as there.
 */
export function scaleRound(b: VecBuilder, hIn: V, lIn: V, kIn: V): V {
  const negative = b.lt(hIn, b.f64(0));
  const h = b.select(negative, b.neg(hIn), hIn);
  const l = b.select(negative, b.neg(lIn), lIn);
  const k = b.toF64(kIn);
  const normal = b.and(b.ge(k, b.f64(-960)), b.ge(h, b.f64(2 ** -60)));
  const direct = b.mul(b.add(h, l), pow2Of(b, k));
  const s1 = pow2Of(b, b.add(k, b.f64(1000)));
  const a = b.mul(h, s1);
  const al = b.mul(l, s1);
  const down = b.f64(2 ** -1000);
  const coarse = b.mul(a, down);
  const viaNormal = b.mul(b.add(a, al), down);
  const d = b.add(b.sub(a, b.mul(coarse, b.f64(2 ** 1000))), al);
  const tick = b.f64(2 ** -75);
  const ulp = b.f64(2 ** -1074);
  const subnormal = b.select(
    b.gt(d, tick),
    b.add(coarse, ulp),
    b.select(b.lt(d, b.neg(tick)), b.sub(coarse, ulp), coarse),
  );
  const r = b.select(
    normal,
    direct,
    b.select(b.ge(coarse, b.f64(2 ** -1022)), viaNormal, subnormal),
  );
  return b.select(negative, b.neg(r), r);
}
