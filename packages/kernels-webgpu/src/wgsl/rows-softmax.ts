import {
  type RowsKernelSpec,
  rowsLoop,
  rowsMain,
  rowsMaxExpSum,
  rowsPrelude,
} from "./rows-reduce.js";

/**
 * WGSL statements computing `res`, the softmax (or log-softmax) of element `x` from the row's
 * max `mx`, its sum of exponentials `total` (hi, lo) and `lsm` = log(total) (hi, lo).
 */
export function softmaxValue(log: boolean): string {
  return log
    ? `    let d = rows_two_sum(load_f32(x), -mx);
    let t = rows_two_sum(d.x, -lsm.x);
    var res = d.x;  // −inf stays −inf
    if (rows_is_finite(d.x)) { res = t.x + ((t.y + d.y) - lsm.y); }`
    : `    let d = rows_two_sum(load_f32(x), -mx);
    let ex = rows_exp2(d.x, d.y);
    var res = ex.x / total.x;
    // Near the subnormal range partial products may be flushed: keep the plain quotient.
    if (ex.x > 1e-30) {
      let p = rows_two_prod(res, total.x);
      res = res + ((((ex.x - p.x) - p.y) + ex.y) - res * total.y) / total.x;
    }`;
}

/**
 * WGSL of softmax / log-softmax over the reduced axes of each row, computed in f32 whatever the
 * storage: m = the row's max, S = Σ exp(x − m) as a compensated (hi, lo) sum (S = 1 + t with t
 * the sum over every entry but one max, as on the CPU);
 * softmax = exp(x − m) / S, exp(x − m) and S as (hi, lo) pairs and the quotient corrected by
 * its exact residual (Dekker's product), so it rounds about once;
 * logSoftmax = (x − m) − log(S), with x − m and log(S) as (hi, lo) pairs.
 * Rows with a NaN or a non-finite max give NaN.
 */
export function softmaxWgsl(log: boolean, spec: RowsKernelSpec): string {
  const pass = rowsMaxExpSum(spec);
  const body = `${pass.body}
  let lsm = rows_log2(total.x, total.y);
${rowsLoop(
  spec,
  `${softmaxValue(log)}
    if (skip) { res = rows_nan(); }
    dst[y] = ${spec.outType}(res);`,
)}`;
  return `${rowsPrelude(spec)}
${pass.shared}
${rowsMain(spec, body)}`;
}
