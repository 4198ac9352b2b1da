/**
 * nnkit's erf and erfc (`src/math/erf.ts`) over f64x2: the fdlibm piecewise scheme with the
 * same coefficients (read from that file), the same compensated evaluations (vector ratioDD,
 * expDD and scaleRound of ./dd.ts) and the same operation order. The cheap branches are
 * computed for both lanes and selected; the double-double ones (erfc on [0.25, 1.25) and its
 * tail) run inside `when` blocks, only for vectors with a lane that needs them.
 */

import {
  C3,
  EFX,
  EFX_LO,
  ERX,
  MID_P,
  MID_Q,
  SMALL_P,
  SMALL_Q,
  TAIL_A_R,
  TAIL_A_S,
  TAIL_B_R,
  TAIL_B_S,
  TAIL_SPLIT,
} from "../../math/erf.js";
import { expDD, ratioDD, scaleRound, twoProd, twoSum } from "./dd.js";
import type { MathCalls } from "./index.js";
import type { V, VecBuilder } from "./vec.js";

/** P(t)/Q(t) by plain Horner, as erf.ts's cheap ratios (coefficients highest degree first). */
function ratio(b: VecBuilder, p: readonly V[], q: readonly V[], t: V): V {
  return b.div(b.hornerOf(t, [...p].reverse()), b.hornerOf(t, [...q].reverse()));
}

/** (erf(x) - x)/x for |x| < 0.84375 at z = x^2. */
const smallRatio = (b: VecBuilder, z: V) => ratio(b, b.f64s(SMALL_P), b.f64s(SMALL_Q), z);
/** erf(1 + s) - ERX. */
const midRatio = (b: VecBuilder, s: V) => ratio(b, b.f64s(MID_P), b.f64s(MID_Q), s);

/**
 * The tail's rational approximation R/S in s = 1/x^2: the coefficients of [1.25, 1/0.35) where
 * x < 1/0.35, else those of [1/0.35, 28), chosen per lane. The second set has one coefficient
 * fewer in R and in S; it is padded with a leading zero, which changes no bit in either Horner
 * scheme (s > 0; see ratioDD), so one evaluation serves vectors that straddle the split.
 */
function tailCoefficients(b: VecBuilder, x: V): [V[], V[]] {
  const nearer = b.lt(x, b.f64(TAIL_SPLIT));
  return [b.coefficients(nearer, TAIL_A_R, TAIL_B_R), b.coefficients(nearer, TAIL_A_S, TAIL_B_S)];
}

/** erf.ts's erfcTailCheap: erfc(x) for 1.25 <= x < 6, through Math.exp (the vector exp). */
function erfcTailCheap(b: VecBuilder, calls: MathCalls, x: V): V {
  const [ph, pl] = twoProd(b, x, x);
  const s = b.div(b.f64(1), ph);
  const g = ratio(b, ...tailCoefficients(b, x), s);
  const arg = b.add(b.neg(ph), b.sub(b.add(b.f64(-0.5625), g), pl));
  return b.div(b.call(calls.index("exp"), arg), x);
}

/** erf.ts's erfcTail: erfc(x) for 1.25 <= x < 28, double-double throughout. */
function erfcTail(b: VecBuilder, calls: MathCalls, x: V): V {
  const [ph, pl] = twoProd(b, x, x);
  const one = b.f64(1);
  const s = b.div(one, ph);
  const [t0, t1] = twoProd(b, s, ph);
  const ds = b.mul(s, b.sub(b.sub(b.sub(one, t0), t1), b.mul(s, pl)));
  const [g, gl] = ratioDD(b, ...tailCoefficients(b, x), s, ds);
  // E = -x^2 - 0.5625 + g as a double-double.
  const c = b.add(b.f64(-0.5625), g);
  const cl = b.add(b.sub(g, b.add(c, b.f64(0.5625))), gl);
  const mph = b.neg(ph);
  const eh = b.add(mph, c);
  const el = b.add(b.add(b.sub(mph, eh), c), b.sub(cl, pl));
  const { k, hi, lo } = expDD(b, calls, eh, el);
  // (hi + lo) / x, compensated.
  const q1 = b.div(hi, x);
  const [u0, u1] = twoProd(b, q1, x);
  const q2 = b.div(b.add(b.sub(b.sub(hi, u0), u1), lo), x);
  const h = b.add(q1, q2);
  return scaleRound(b, h, b.sub(q2, b.sub(h, q1)), k);
}

/** The error function. */
export function emitErf(b: VecBuilder, calls: MathCalls): V {
  const x = b.param(0);
  const a = b.abs(x);
  const negative = b.lt(x, b.f64(0));
  const signed = (v: V) => b.select(negative, b.neg(v), v);

  // |x| < 2^-28: x + x (EFX - C3 x^2) with EFX as a double-double, rounded once (below 1e-300
  // scaled up by 2^1000 first so that nothing underflows, and rounded on the way down).
  const tinyLanes = b.lt(a, b.f64(3.725290298461914e-9));
  const [tiny] = b.when(tinyLanes, () => {
    const deep = b.lt(a, b.f64(1e-300));
    const xs = b.select(deep, b.mul(x, b.f64(2 ** 1000)), x);
    const [p0, p1] = twoProd(b, xs, b.f64(EFX));
    const pl = b.add(p1, b.mul(xs, b.sub(b.f64(EFX_LO), b.mul(b.f64(C3), b.mul(x, x)))));
    const [h, h1] = twoSum(b, xs, p0);
    const l = b.add(h1, pl);
    return [b.select(deep, scaleRound(b, h, l, b.i64(-1000n)), b.add(h, l))];
  });
  const small = b.add(x, b.mul(x, smallRatio(b, b.mul(x, x))));
  const mid = signed(b.add(b.f64(ERX), midRatio(b, b.sub(a, b.f64(1)))));
  const tailLanes = b.and(b.ge(a, b.f64(1.25)), b.lt(a, b.f64(6)));
  const [tail] = b.when(tailLanes, () => [signed(b.sub(b.f64(1), erfcTailCheap(b, calls, a)))]);

  let result = b.select(b.ge(a, b.f64(6)), b.copysign(b.f64(1), x), tail);
  result = b.select(b.lt(a, b.f64(1.25)), mid, result);
  result = b.select(b.lt(a, b.f64(0.84375)), b.select(tinyLanes, tiny, small), result);
  return b.select(b.ne(x, x), x, result);
}

/** The complementary error function. */
export function emitErfc(b: VecBuilder, calls: MathCalls): V {
  const x = b.param(0);
  const a = b.abs(x);
  const one = b.f64(1);
  const two = b.f64(2);
  const negX = b.neg(x);

  // |x| < 0.84375, x < 0.25: (1 - x as a double-double) - x y, rounded once.
  const xy = b.mul(x, smallRatio(b, b.mul(x, x)));
  const [s0, e0] = twoSum(b, one, negX);
  const belowQuarter = b.add(s0, b.sub(e0, xy));
  // 0.25 <= x < 0.84375: 1 - x - x y in double-double, y from the compensated ratio.
  const upperLanes = b.and(b.ge(x, b.f64(0.25)), b.lt(x, b.f64(0.84375)));
  const [upper] = b.when(upperLanes, () => {
    const [zh, zl] = twoProd(b, x, x);
    const [yh, yl] = ratioDD(b, b.f64s(SMALL_P), b.f64s(SMALL_Q), zh, zl);
    const [ph, p1] = twoProd(b, x, yh);
    const pl = b.add(p1, b.mul(x, yl));
    const [h, l] = twoSum(b, one, negX);
    const [s, e] = twoSum(b, h, b.neg(ph));
    return [b.add(s, b.sub(b.add(e, l), pl))];
  });
  const small = b.select(
    b.lt(a, b.f64(1.3877787807814457e-17)),
    b.sub(one, x),
    b.select(b.lt(x, b.f64(0.25)), belowQuarter, upper),
  );

  // 0.84375 <= |x| < 1.25: 1 + ERX + P/Q for x < 0 (exact sum, result near 1.8); for x > 0
  // (1 - ERX) - P/Q with the compensated ratio.
  const midNegative = b.add(b.f64(1 + ERX), midRatio(b, b.sub(a, one)));
  const midLanes = b.and(b.ge(x, b.f64(0.84375)), b.lt(x, b.f64(1.25)));
  const [midPositive] = b.when(midLanes, () => {
    const [rh, rl] = ratioDD(b, b.f64s(MID_P), b.f64s(MID_Q), b.sub(x, one), b.f64(0));
    const [s, e] = twoSum(b, b.f64(1 - ERX), b.neg(rh));
    return [b.add(s, b.sub(e, rl))];
  });
  const mid = b.select(b.lt(x, b.f64(0)), midNegative, midPositive);

  // The tail: erfc(x) for 1.25 <= x < 28, 2 - erfc(|x|) for -6 < x <= -1.25.
  const tailLanes = b.and(b.ge(a, b.f64(1.25)), b.and(b.lt(x, b.f64(28)), b.gt(x, b.f64(-6))));
  const positive = b.gt(x, b.f64(0));
  const [t] = b.when(tailLanes, () => [erfcTail(b, calls, a)]);
  const tail = b.select(positive, t, b.sub(two, t));

  let result = b.select(
    positive,
    b.select(b.ge(x, b.f64(28)), b.f64(0), tail),
    b.select(b.ge(a, b.f64(6)), two, tail),
  );
  result = b.select(b.lt(a, b.f64(1.25)), mid, result);
  result = b.select(b.lt(a, b.f64(0.84375)), small, result);
  return b.select(b.ne(x, x), x, result);
}
