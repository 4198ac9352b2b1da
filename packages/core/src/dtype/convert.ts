import { allocateStorage, type DType, type StorageArray } from "./dtype.js";
import {
  bfloat16BitsToNumber,
  float16BitsToNumber,
  float64ToBfloat16Bits,
  float64ToFloat16Bits,
} from "./half.js";

/**
 * Host-side conversion between JavaScript numbers and each dtype's storage. Floats round to
 * nearest even straight from float64 (no double rounding through float32); integers follow
 * typed-array conversion (truncate toward zero, wrap modulo 2^32, NaN and ±inf → 0); bool is
 * `value !== 0` (NaN → true, as a C++ cast gives).
 */
export function encodeStorage(dtype: DType, values: ArrayLike<number>): StorageArray {
  const n = values.length;
  const out = allocateStorage(dtype, n);
  switch (dtype) {
    case "float16":
      for (let i = 0; i < n; i++) out[i] = float64ToFloat16Bits(values[i] as number);
      return out;
    case "bfloat16":
      for (let i = 0; i < n; i++) out[i] = float64ToBfloat16Bits(values[i] as number);
      return out;
    case "bool":
      for (let i = 0; i < n; i++) out[i] = values[i] !== 0 ? 1 : 0;
      return out;
    default:
      // Float32Array/Int32Array/Uint32Array assignment implements exactly the rules above.
      for (let i = 0; i < n; i++) out[i] = values[i] as number;
      return out;
  }
}

/** Storage decoded to JavaScript numbers (float16/bfloat16 bit patterns become their values). */
export function decodeStorage(dtype: DType, data: StorageArray): ArrayLike<number> {
  if (dtype === "float16") return Float64Array.from(data, float16BitsToNumber);
  if (dtype === "bfloat16") return Float64Array.from(data, bfloat16BitsToNumber);
  return data;
}

/** The value `v` takes when stored as `dtype`. */
export function roundToDType(dtype: DType, v: number): number {
  const one = encodeStorage(dtype, [v]);
  return decodeStorage(dtype, one)[0] as number;
}
