import type { DType, SoftmaxVariant, StorageArray } from "@nnkit/core";
import { contiguousStrides } from "@nnkit/core";
import { axesOffsets, keptAxes, rowIO } from "./offsets.js";

/**
 * softmax / log-softmax / softmin over `axes`, one row at a time, in float64 with one rounding
 * per output. softmin reads each x as −x (exact) and is then softmax.
 * With m the row's max and t = Σ exp(x_j − m) over every entry but the (first) max (summed as
 * two interleaved partial sums, even and odd j),
 * softmax_j = exp(x_j − m) / (1 + t) and logSoftmax_j = (x_j − m) − log1p(t): writing the
 * normaliser as log1p(t) keeps the dominant entry's tiny negative log-probability instead of 0.
 * A row whose max is not finite (+inf, NaN, or every entry −inf) gives NaN, as in MLX.
 */
export function softmaxStorage(
  data: StorageArray,
  inDtype: DType,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  variant: SoftmaxVariant,
  out: StorageArray,
  outDtype: DType,
): void {
  const io = rowIO(data, inDtype, outDtype);
  const encode = io.encode;
  const read = variant === "softmin" ? (i: number) => -io.read(i) : io.read;
  const log = variant === "logSoftmax";
  const kept = keptAxes(shape, axes);
  // Output positions (contiguous, row-major) of the same elements.
  const outStrides = contiguousStrides(shape);
  const rowStarts = axesOffsets(shape, strides, kept);
  const outRowStarts = axesOffsets(shape, outStrides, kept);
  const inRow = axesOffsets(shape, strides, axes);
  const outRow = axesOffsets(shape, outStrides, axes);
  const n = inRow.length;
  const values = new Float64Array(n);

  for (let r = 0; r < rowStarts.length; r++) {
    const base = offset + (rowStarts[r] as number);
    const outBase = outRowStarts[r] as number;
    let m = Number.NEGATIVE_INFINITY;
    let argmax = 0;
    let nan = false;
    for (let j = 0; j < n; j++) {
      const v = read(base + (inRow[j] as number));
      values[j] = v;
      if (Number.isNaN(v)) nan = true;
      else if (v > m || j === 0) {
        m = v;
        argmax = j;
      }
    }
    if (nan || !Number.isFinite(m)) {
      for (let j = 0; j < n; j++) out[outBase + (outRow[j] as number)] = encode(Number.NaN);
      continue;
    }
    // Two interleaved sums (even j, odd j), added at the end: the order the SIMD kernel's two
    // lanes use (compile-softmax.ts), so both give the same bits.
    let even = 0;
    let odd = 0;
    for (let j = 0; j < n; j++) {
      if (j === argmax) continue;
      const e = Math.exp((values[j] as number) - m);
      if (j % 2 === 0) even += e;
      else odd += e;
    }
    const t = even + odd;
    if (log) {
      const lse = Math.log1p(t);
      for (let j = 0; j < n; j++) {
        out[outBase + (outRow[j] as number)] = encode((values[j] as number) - m - lse);
      }
    } else {
      const scale = 1 + t;
      for (let j = 0; j < n; j++) {
        out[outBase + (outRow[j] as number)] = encode(Math.exp((values[j] as number) - m) / scale);
      }
    }
  }
}
