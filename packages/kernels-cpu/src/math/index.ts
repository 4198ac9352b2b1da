/**
 * Scalar math for the CPU backend: float64 special functions that are accurate to 1 ulp over the
 * whole double range (erf, erfc, erfinv). (float16/bfloat16 conversions live in @nnkit/core.) The special
 * functions are pure TypeScript so that results do not depend on the host's libm; the V8
 * built-ins Math.exp / log / expm1 / log1p are used as they are, since the tests in test/math
 * check them against exact references and find them within 1 ulp; Math.tanh is not (V8 is off by
 * up to 2 ulp around |x| ~ 0.4), so `tanh` here replaces it.
 */

export { erf, erfc } from "./erf.js";
export { erfinv } from "./erfinv.js";
export { tanh } from "./tanh.js";
