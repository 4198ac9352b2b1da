import {
  bfloat16BitsToNumber,
  float16BitsToNumber,
  float64ToBfloat16Bits,
  float64ToFloat16Bits,
} from "@nnkit/core";

/** float64 → nearest float16 value (as a number), rounding once. */
export function roundToFloat16(v: number): number {
  return float16BitsToNumber(float64ToFloat16Bits(v));
}

/** float64 → nearest bfloat16 value (as a number), rounding once. */
export function roundToBfloat16(v: number): number {
  return bfloat16BitsToNumber(float64ToBfloat16Bits(v));
}

let f16Table: Float64Array | undefined;
let bf16Table: Float64Array | undefined;

/** All 65536 float16 values by bit pattern, so reading float16 storage is one lookup. */
export function float16Table(): Float64Array {
  f16Table ??= Float64Array.from({ length: 65536 }, (_, i) => float16BitsToNumber(i));
  return f16Table;
}

export function bfloat16Table(): Float64Array {
  bf16Table ??= Float64Array.from({ length: 65536 }, (_, i) => bfloat16BitsToNumber(i));
  return bf16Table;
}
