import type { DType, ReduceOp, StorageArray } from "@nnkit/core";
import { axesOffsets, keptAxes, rowIO } from "./offsets.js";

/**
 * One reduction over typed-array storage, accumulating in float64 (compensated summation for
 * floats; 32-bit wrap-around for integer sums, as C does) and rounding once to `outDtype`.
 */
export function reduceStorage(
  op: ReduceOp,
  data: StorageArray,
  inDtype: DType,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
  out: StorageArray,
  outDtype: DType,
): void {
  const { read, encode } = rowIO(data, inDtype, outDtype);
  const keptOffsets = axesOffsets(shape, strides, keptAxes(shape, axes));
  // All reduced axes but the last are enumerated up front; the last is the inner loop.
  const lastAxis = axes[axes.length - 1] as number;
  const inner = shape[lastAxis] as number;
  const innerStride = strides[lastAxis] as number;
  const outerOffsets = axesOffsets(shape, strides, axes.slice(0, -1));
  const count = inner * outerOffsets.length;
  const intSum = op === "sum" && (outDtype === "int32" || outDtype === "uint32");
  const wrap = outDtype === "uint32" ? (v: number) => v >>> 0 : (v: number) => v | 0;

  for (let o = 0; o < keptOffsets.length; o++) {
    const base = offset + (keptOffsets[o] as number);
    let result: number;
    if (op === "max" || op === "min" || op === "logsumexp") {
      let m = op === "min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      outer: for (let r = 0; r < outerOffsets.length; r++) {
        const start = base + (outerOffsets[r] as number);
        for (let j = 0; j < inner; j++) {
          const v = read(start + j * innerStride);
          if (Number.isNaN(v)) {
            m = Number.NaN;
            break outer;
          }
          if (op === "min" ? v < m : v > m) m = v;
        }
      }
      if (
        op !== "logsumexp" ||
        Number.isNaN(m) ||
        m === Number.POSITIVE_INFINITY ||
        m === Number.NEGATIVE_INFINITY
      ) {
        result = m;
      } else {
        let s = 0;
        for (let r = 0; r < outerOffsets.length; r++) {
          const start = base + (outerOffsets[r] as number);
          for (let j = 0; j < inner; j++) s += Math.exp(read(start + j * innerStride) - m);
        }
        result = m + Math.log(s);
      }
    } else if (intSum) {
      let acc = 0;
      for (let r = 0; r < outerOffsets.length; r++) {
        const start = base + (outerOffsets[r] as number);
        for (let j = 0; j < inner; j++) acc = wrap(acc + read(start + j * innerStride));
      }
      result = acc;
    } else {
      // Neumaier's compensated sum: float32 inputs then round correctly in all but
      // pathological cancellations.
      let sum = 0;
      let comp = 0;
      for (let r = 0; r < outerOffsets.length; r++) {
        const start = base + (outerOffsets[r] as number);
        for (let j = 0; j < inner; j++) {
          const v = read(start + j * innerStride);
          const t = sum + v;
          comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
          sum = t;
        }
      }
      // An infinite or NaN sum makes the compensation NaN; the plain sum is then right.
      result = Number.isFinite(sum) ? sum + comp : sum;
      if (op === "mean") result /= count;
    }
    out[o] = encode(result);
  }
}
