import { NnkitError } from "../errors.js";
import { type DType, isFloating, isInteger } from "./dtype.js";

/**
 * MLX's type promotion (mlx/dtype.cpp), restricted to nnkit's dtypes:
 * bool + T = T; int + float16 = float16; int + bfloat16 = bfloat16;
 * float16 + bfloat16 = float32; float32 wins over every other type.
 * int32 + uint32 is int64 in MLX, which nnkit cannot represent, so it is an error
 * rather than a silent narrowing.
 */
export function promote(fn: string, a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === "bool") return b;
  if (b === "bool") return a;
  if (a === "float32" || b === "float32") return "float32";
  if (isFloating(a) && isFloating(b)) return "float32"; // float16 + bfloat16
  if (isFloating(a)) return a; // a float16/bfloat16, b an integer type
  if (isFloating(b)) return b;
  throw new NnkitError(
    fn,
    `${a} and ${b} promote to int64 in MLX, which nnkit does not support; cast one operand with astype first`,
  );
}

/** MLX's `promote_types(a, b)`: the dtype an op on `a` and `b` computes in. */
export function promoteTypes(a: DType, b: DType): DType {
  return promote("promoteTypes", a, b);
}

/** MLX's `at_least_float`: inexact types stay, every integer and bool type becomes float32. */
export function atLeastFloat(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "float32";
}

/**
 * The dtype a JavaScript number takes next to an array of `arrayDtype` (MLX's weak scalars).
 * JavaScript cannot tell `6` from `6.0`, so an integral number counts as a Python int and a
 * number with a fractional part (or a non-finite one) as a Python float.
 */
export function weakScalarDType(value: number | boolean, arrayDtype: DType): DType {
  if (typeof value === "boolean") return arrayDtype;
  const integral = Number.isInteger(value);
  if (isFloating(arrayDtype)) return arrayDtype;
  if (integral) return arrayDtype === "bool" ? "int32" : arrayDtype;
  return "float32";
}

/** The dtype of a number standing alone (no array beside it): MLX gives int → int32, float → float32. */
export function standaloneScalarDType(value: number | boolean): DType {
  if (typeof value === "boolean") return "bool";
  return "float32";
}

export { isInteger };
