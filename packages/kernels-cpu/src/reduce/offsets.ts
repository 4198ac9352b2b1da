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
