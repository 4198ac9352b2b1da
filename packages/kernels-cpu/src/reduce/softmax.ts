import type { DType, StorageArray } from "@nnkit/core";
import { decodeTable, outputEncoder } from "../elementwise/prepare.js";
import { combinedOffsets } from "./offsets.js";

/**
 * softmax / log-softmax over `axes`, one row at a time, in float64 with one rounding per output.
 * With m the row's max and t = Σ exp(x_j − m) over every entry but the (first) max,
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
  log: boolean,
  out: StorageArray,
  outDtype: DType,
): void {
  const table = decodeTable(inDtype);
  const read = table
    ? (i: number) => table[data[i] as number] as number
    : (i: number) => data[i] as number;
  const encode = outputEncoder(outDtype) ?? ((v: number) => v);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const rowStarts = combinedOffsets(
    kept.map((i) => shape[i] as number),
    kept.map((i) => strides[i] as number),
  );
  // Output positions (contiguous, row-major) of the same elements.
  const outStrides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    outStrides[i] = s;
    s *= shape[i] as number;
  }
  const outRowStarts = combinedOffsets(
    kept.map((i) => shape[i] as number),
    kept.map((i) => outStrides[i] as number),
  );
  const inRow = combinedOffsets(
    axes.map((i) => shape[i] as number),
    axes.map((i) => strides[i] as number),
  );
  const outRow = combinedOffsets(
    axes.map((i) => shape[i] as number),
    axes.map((i) => outStrides[i] as number),
  );
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
    let t = 0;
    for (let j = 0; j < n; j++) {
      if (j !== argmax) t += Math.exp((values[j] as number) - m);
    }
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
