/**
 * nnkit's tanh (`src/math/tanh.ts`) over f64x2: the odd Taylor polynomial below 2^-6, ±1 from 22
 * on, and between them E / (E + 2) with E = e^(2|x|) - 1 formed in double-double from the vector
 * expDD — the scalar code's steps in its order, each branch computed for both lanes and selected.
 */

import { expDD, twoProd, twoSum } from "./dd.js";
import type { MathCalls } from "./index.js";
import type { V, VecBuilder } from "./vec.js";

/** The hyperbolic tangent. */
export function emitTanh(b: VecBuilder, calls: MathCalls): V {
  const x = b.param(0);
  const a = b.abs(x);
  const one = b.f64(1);

  const z = b.mul(x, x);
  const c = b.mul(z, b.horner(z, [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925]));
  const series = b.add(x, b.mul(x, c));

  // 2|x| is exact; beyond the main range (|x| >= 22, inf, NaN) the lanes compute garbage that
  // the selects below drop.
  const { k, hi, lo } = expDD(b, calls, b.mul(b.f64(2), a), b.f64(0));
  const sc = b.pow2(k);
  const big = b.mul(hi, sc); // exact scaling
  const [eh, e1] = twoSum(b, big, b.f64(-1));
  const el = b.add(e1, b.mul(lo, sc));
  const [dh, d1] = twoSum(b, eh, b.f64(2));
  const dl = b.add(d1, el);
  const q1 = b.div(eh, dh);
  const [p0, p1] = twoProd(b, q1, dh);
  const q2 = b.div(b.sub(b.add(b.sub(b.sub(eh, p0), p1), el), b.mul(q1, dl)), dh);
  const v = b.add(q1, q2);
  const main = b.select(b.lt(x, b.f64(0)), b.neg(v), v);

  const small = b.select(b.lt(a, b.f64(3.725290298461914e-9)), x, series);
  const large = b.select(b.ge(a, b.f64(22)), b.copysign(one, x), main);
  // NaN fails both comparisons and propagates through the main path.
  return b.select(b.lt(a, b.f64(0.015625)), small, large);
}
