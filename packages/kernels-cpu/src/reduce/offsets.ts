import type { DType, StorageArray } from "@nnkit/core";
import { decodeTable, outputEncoder } from "../elementwise/prepare.js";

/** Offsets of every combination of `dims` (row-major), each dim walked with its stride. */
export function combinedOffsets(
  sizes: readonly number[],
  strides: readonly number[],
): Float64Array {
  let offs = Float64Array.of(0);
  for (let d = 0; d < sizes.length; d++) {
    const size = sizes[d] as number;
    const stride = strides[d] as number;
    const next = new Float64Array(offs.length * size);
    for (let i = 0; i < offs.length; i++) {
      for (let j = 0; j < size; j++) next[i * size + j] = (offs[i] as number) + j * stride;
    }
    offs = next;
  }
  return offs;
}

/** Offsets of `axes` (in their order) within storage of `shape`/`strides`. */
export function axesOffsets(
  shape: readonly number[],
  strides: readonly number[],
  axes: readonly number[],
): Float64Array {
  return combinedOffsets(
    axes.map((i) => shape[i] as number),
    axes.map((i) => strides[i] as number),
  );
}

/** The axes of `shape` not in `axes`, in order. */
export function keptAxes(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((_, i) => i).filter((i) => !axes.includes(i));
}

/** Element reader (decoding float16/bfloat16) and float64 → storage writer for row kernels. */
export function rowIO(
  data: StorageArray,
  inDtype: DType,
  outDtype: DType,
): { read: (i: number) => number; encode: (v: number) => number } {
  const table = decodeTable(inDtype);
  const read = table
    ? (i: number) => table[data[i] as number] as number
    : (i: number) => data[i] as number;
  return { read, encode: outputEncoder(outDtype) ?? ((v: number) => v) };
}
