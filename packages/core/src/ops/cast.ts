import { MxArray } from "../array/array.js";
import { checkDType, type DType } from "../dtype/dtype.js";
import { type ArrayInput, toArray } from "./input.js";

/**
 * `astype(x, dtype)`: converts elements. Floats round to nearest even; float → integer
 * truncates toward zero, wraps modulo 2^32, and maps NaN/±inf to 0; anything → bool is `!= 0`.
 */
export function astype(x: ArrayInput, dtype: DType): MxArray {
  const a = toArray("astype", "x", x);
  checkDType("astype", "dtype", dtype);
  return new MxArray(a.shape, dtype, a.device, { node: { prim: { kind: "cast" }, inputs: [a] } });
}

/** Identity that blocks gradients in MLX; nnkit has no autodiff yet, so it is a fusable copy. */
export function stopGradient(x: ArrayInput): MxArray {
  const a = toArray("stopGradient", "x", x);
  return new MxArray(a.shape, a.dtype, a.device, { node: { prim: { kind: "cast" }, inputs: [a] } });
}
