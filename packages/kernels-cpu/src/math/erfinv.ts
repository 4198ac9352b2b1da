/**
 * erfinv in float64.
 *
 * Method: Giles' double-precision approximation ("Approximating the erfinv function", GPU
 * Computing Gems Jade, 2010; published coefficients) gives a starting point good to roughly
 * 1e-15 relatively from one logarithm and one polynomial, then a Halley step (cubically
 * convergent; since erf'' = -2x erf', the step is simply r / (erf'(x) + x r)) makes it exact to
 * well under an ulp. The step is only as good as the residual r = erf(x) - |y|, so r is formed
 * without cancellation from the pieces of erf.ts: (x - |y|) + x R(x^2) below 0.84375 and
 * (erx - |y|) + P/Q up to 1.25, both with compensated rational evaluation, and beyond that
 * (1 - |y|) - erfc(x), where 1 - |y| is exact and erfc keeps full relative accuracy -- this is
 * what keeps erfinv accurate right up to 1 - 2^-53 (erfinv = 5.8636...). Tiny |y| use the series
 * sqrt(pi)/2 (y + pi y^3 / 12) with a double-double constant, rounded once, which also keeps -0
 * and subnormal inputs exact to rounding.
 */

import { dd, scaleRound, twoProd } from "./dd.js";
import { EFX, ERX, erfcTail, erfMidRatioDD, erfSmallRatioDD } from "./erf.js";

const SQRT_PI_2 = 0.886226925452758; // sqrt(pi)/2, rounded
const SQRT_PI_2_LO = -3.8332932499128993e-17; // sqrt(pi)/2 - SQRT_PI_2
const CUBIC = 0.2320136665346545; // sqrt(pi)/2 * pi/12
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf(x) - a for x >= 0, 0 < a < 1, accurate to a small fraction of ulp(a) near the root. */
function residual(x: number, a: number): number {
  if (x < 0.84375) {
    if (x < 3.725290298461914e-9) return x - a + EFX * x;
    // erf(x) - a = (x - a) + x*y with y = (erf(x) - x)/x; x - a is exact near the root
    // (Sterbenz), and so is its sum with the leading part of x*y, which nearly cancels it.
    twoProd(x, x);
    erfSmallRatioDD(dd[0] as number, dd[1] as number);
    const yl = dd[1] as number;
    twoProd(x, dd[0] as number);
    return x - a + (dd[0] as number) + ((dd[1] as number) + x * yl);
  }
  if (x < 1.25) {
    // erf(x) - a = (ERX - a) + P/Q, where ERX - a is exact (Sterbenz)
    erfMidRatioDD(x - 1);
    return ERX - a + (dd[0] as number) + (dd[1] as number);
  }
  // erf(x) - a = (1 - a) - erfc(x), where 1 - a is exact (a >= 1/2 here)
  if (x < 28) return 1 - a - erfcTail(x);
  return 1 - a;
}

// Giles (2010), double-precision coefficient sets, highest degree first:
// erfinv(a) ~ a * p(w) with w = -log((1 - a)(1 + a)).
const GILES_1 = Float64Array.of(
  -3.64441206401782e-21,
  -1.6850591381820166e-19,
  1.28584807152564e-18,
  1.1157877678025181e-17,
  -1.333171662854621e-16,
  2.0972767875968562e-17,
  6.637638134358324e-15,
  -4.054566272975207e-14,
  -8.151934197605472e-14,
  2.6335093153082323e-12,
  -1.2975133253453532e-11,
  -5.415412054294628e-11,
  1.0512122733215323e-9,
  -4.112633980346984e-9,
  -2.9070369957882005e-8,
  4.2347877827932404e-7,
  -1.3654692000834679e-6,
  -1.3882523362786469e-5,
  0.00018673420803405714,
  -0.000740702534166267,
  -0.006033670871430149,
  0.24015818242558962,
  1.6536545626831027,
);
const GILES_2 = Float64Array.of(
  2.2137376921775787e-9,
  9.075656193888539e-8,
  -2.7517406297064545e-7,
  1.8239629214389228e-8,
  1.5027403968909828e-6,
  -4.013867526981546e-6,
  2.9234449089955446e-6,
  1.2475304481671779e-5,
  -4.7318229009055734e-5,
  6.828485145957318e-5,
  2.4031110387097894e-5,
  -0.0003550375203628475,
  0.0009532893797373805,
  -0.0016882755560235047,
  0.002491442096107851,
  -0.003751208507569241,
  0.005370914553590064,
  1.0052589676941592,
  3.0838856104922208,
);
const GILES_3 = Float64Array.of(
  -2.7109920616438573e-11,
  -2.555641816996525e-10,
  1.5076572693500548e-9,
  -3.789465440126737e-9,
  7.61570120807834e-9,
  -1.496002662714924e-8,
  2.914795345090108e-8,
  -6.771199775845234e-8,
  2.2900482228026655e-7,
  -9.9298272942317e-7,
  4.526062597223154e-6,
  -1.968177810553167e-5,
  7.599527703001776e-5,
  -0.00021503011930044477,
  -0.00013871931833623122,
  1.0103004648645344,
  4.849906401408584,
);

function horner(c: Float64Array, w: number): number {
  let p = c[0] as number;
  for (let i = 1; i < c.length; i++) p = p * w + (c[i] as number);
  return p;
}

/** Giles' double-precision approximation of erfinv(a), relative error around 1e-15 or better. */
function initialGuess(a: number): number {
  const w = -Math.log((1 - a) * (1 + a));
  if (w < 6.25) return a * horner(GILES_1, w - 3.125);
  if (w < 16) return a * horner(GILES_2, Math.sqrt(w) - 3.25);
  return a * horner(GILES_3, Math.sqrt(w) - 5);
}

/** The inverse error function: erfinv(erf(x)) = x for y in [-1, 1]; NaN outside. */
export function erfinv(y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  const a = Math.abs(y);
  if (a >= 1) {
    if (a > 1) return Number.NaN;
    return y > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  if (a < 1.4901161193847656e-8) {
    // |y| < 2^-26: erfinv(y) = sqrt(pi)/2 (y + pi y^3/12 + ...), the y^5 term is below 2^-104
    // relatively. sqrt(pi)/2 is carried as a double-double so that the result rounds once.
    if (a === 0) return y; // keeps -0
    if (a < 1.2e-271) {
      // scale up by 2^1000 so the product is formed exactly, round once onto the subnormal grid
      const as = a * 2 ** 1000;
      twoProd(as, SQRT_PI_2);
      const v = scaleRound(dd[0] as number, (dd[1] as number) + as * SQRT_PI_2_LO, -1000);
      return y < 0 ? -v : v;
    }
    twoProd(a, SQRT_PI_2);
    const v = (dd[0] as number) + ((dd[1] as number) + a * SQRT_PI_2_LO + a * CUBIC * (a * a));
    return y < 0 ? -v : v;
  }
  let x = initialGuess(a);
  // Halley steps: the error after a step of size dx is about (x^2 + 1)/3 * dx^3, which is below
  // 2^-57 x (a few hundredths of an ulp) once |dx| <= 2^-22 x for every x < 6. From Giles'
  // starting point one step is all it takes; the loop is a safeguard.
  for (let i = 0; i < 8; i++) {
    const r = residual(x, a);
    const d = TWO_OVER_SQRT_PI * Math.exp(-x * x);
    const den = d + x * r;
    // fall back to a Newton step should a wild iterate make the Halley denominator unsafe
    const dx = den > 0.5 * d ? r / den : r / d;
    x -= dx;
    if (Math.abs(dx) <= 2.384185791015625e-7 * x) break;
  }
  return y < 0 ? -x : x;
}
