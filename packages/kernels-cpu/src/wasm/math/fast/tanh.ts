/**
 * Fast tanh over f64x2: tanh|x| = em/(em + 2) with em = expm1(2|x|) (exp.ts, inlined), which
 * is relatively accurate near 0 where 1 − 2/(e^2x + 1) would cancel; the quotient adds one
 * rounding to expm1's 2^-37, and em's error enters it scaled by 2/(em + 2) ≤ 1. |x| is capped
 * at 20, where tanh is 1 in double; the sign is copied back (tanh(−0) = −0, NaN stays NaN).
 */

import type { V, VecBuilder } from "../vec.js";
import { expm1InRange } from "./exp.js";

export function emitFastTanh(b: VecBuilder): V {
  const x = b.param(0);
  const a = b.pmin(b.abs(x), b.f64(20));
  const em = expm1InRange(b, b.add(a, a));
  return b.copysign(b.div(em, b.add(em, b.f64(2))), x);
}
