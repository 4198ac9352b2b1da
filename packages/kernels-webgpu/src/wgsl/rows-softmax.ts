import type { SoftmaxVariant } from "@nnkit/core";
import {
  type RowsKernelSpec,
  rowsLoop,
  rowsMain,
  rowsMaxExpSum,
  rowsPrelude,
} from "./rows-reduce.js";

/**
 * WGSL statements computing `res`, the softmax (or log-softmax) of element `x` from the row's
 * max `mx`, its sum of exponentials `total` (a pair) and, for log-softmax, `lsm` = log(total)
 * (a pair, see softmaxLog).
 */
export function softmaxValue(log: boolean): string {
  // x − mx is exact as a pair; −inf stays −inf (df_subf returns a non-finite sum as is). Near
  // the subnormal range the quotient's correction lacks the product's low part (df_two_prod
  // drops it there, where flushing hardware could make it garbage).
  const d = "df_two_sum(load_f32(x), -mx)";
  return log
    ? `    var res = df_subf(${d}, lsm).x;`
    : `    var res = df_divf(df_exp(${d}), total).x;`;
}

/** WGSL defining `lsm` for log-softmax (nothing for softmax). */
export function softmaxLog(log: boolean): string {
  return log ? "  let lsm = df_log(total);\n" : "";
}

/**
 * WGSL of softmax / log-softmax / softmin over the reduced axes of each row (softmin: softmax
 * of the elements as `load_f32` reads them, negated), computed in f32 whatever the
 * storage: m = the row's max, S = Σ exp(x − m) as a compensated (hi, lo) sum (S = 1 + t with t
 * the sum over every entry but one max, as on the CPU);
 * softmax = exp(x − m) / S, exp(x − m) and S as (hi, lo) pairs and the quotient corrected by
 * its exact residual (df_divf), so it rounds about once;
 * logSoftmax = (x − m) − log(S), with x − m and log(S) as (hi, lo) pairs.
 * Rows with a NaN or a non-finite max give NaN.
 */
export function softmaxWgsl(variant: SoftmaxVariant, spec: RowsKernelSpec): string {
  const log = variant === "logSoftmax";
  const pass = rowsMaxExpSum(spec);
  const body = `${pass.body}
${softmaxLog(log)}${rowsLoop(
  spec,
  `${softmaxValue(log)}
    if (skip) { res = nk_nan(); }
    dst[y] = ${spec.outType}(res);`,
)}`;
  return `${rowsPrelude(spec, log ? ["sum", "exp", "log"] : ["sum", "exp"], variant === "softmin")}
${pass.shared}
${rowsMain(spec, body)}`;
}
