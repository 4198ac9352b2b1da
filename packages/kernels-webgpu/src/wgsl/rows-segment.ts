import type { SoftmaxVariant } from "@nnkit/core";
import { ROWS_WG } from "./rows-layout.js";
import {
  loadF32,
  type RowsMath,
  type RowsScalar,
  type RowsStrategy,
  rowsHeader,
  rowsReduce,
} from "./rows-reduce.js";
import { softmaxLog, softmaxValue } from "./rows-softmax.js";

/**
 * Kernels for rows split into segments, used when one row does not fit a storage binding (or,
 * on a GPU, to spread a few long rows over many workgroups). A reduction then runs in stages:
 * each segment of each row is reduced to an accumulator ("partial"), and the accumulators of
 * a row are reduced again ("combine", which may itself be split) down to the output. logsumexp
 * and softmax first compute the row max (as a reduction), then the sum of exp(x − max) with
 * the max read from a stats buffer; softmax finally writes every element ("apply").
 *
 * Every kernel walks "segment indices" q of the chunk it is given, in blocks of B rows:
 * q = (block·P + p)·B + row in block (B = 1: row by row; B = rows: segment by segment; when
 * neighbouring rows are neighbours in memory, as in a reduction over a leading axis, a chunk
 * then covers the same segment of many rows). Segment p covers elements
 * [p·S, min(len, (p + 1)·S)) of row r; with P = 1 and S = len a segment is a whole row.
 * Partials are written at index q. Uniform words: x0 = S, x1 = P, x2 = first element of the
 * max stats binding, x3 = the element count for mean, x4 = first element of the sum stats
 * binding, x5 = B.
 */

/** How elements (or accumulators) combine. */
export type SegAlgebra = "fsum" | "isum" | "imax" | "imin" | "fmax" | "fmin" | "expsum";

/**
 * What a kernel writes per segment (or row): "acc" the accumulator itself (partials, or a
 * stats buffer); "value" the reduced value in the output type; "mean" the sum divided by the
 * count x3; "lse" max + log(sum) with the max from the stats buffer.
 */
export type SegFinish = "acc" | "value" | "mean" | "lse";

export interface SegKernelSpec {
  readonly algebra: SegAlgebra;
  /** "elements": the input array; "accs": accumulators written by an earlier stage. */
  readonly input: "elements" | "accs";
  readonly finish: SegFinish;
  /** Storage type of the input elements (also the accumulator type of imax/imin). */
  readonly elemType: RowsScalar;
  /** Storage type of the output when finish is not "acc". */
  readonly outType: RowsScalar;
  readonly strategy: RowsStrategy;
  readonly groupSize: 64 | 256;
  readonly keptRank: number;
  readonly redRank: number;
  /** Elements (not accumulators) are read negated: softmin's statistics are softmax's of −x. */
  readonly negateInput: boolean;
}

/** WGSL type and storage bytes of an algebra's accumulator. */
export function accOf(
  algebra: SegAlgebra,
  elemType: RowsScalar,
): { readonly type: string; readonly bytes: number } {
  switch (algebra) {
    case "fsum":
    case "expsum":
      return { type: "vec2<f32>", bytes: 8 };
    case "isum":
      return { type: "u32", bytes: 4 };
    case "imax":
    case "imin":
      return { type: elemType, bytes: 4 };
    case "fmax":
    case "fmin":
      return { type: "f32", bytes: 4 };
  }
}

export function segKey(spec: SegKernelSpec): string {
  const st = spec.strategy === "group" ? `group${spec.groupSize}` : "thread";
  const neg = spec.negateInput ? "|neg" : "";
  return `rows-seg|${spec.algebra}|${spec.input}>${spec.finish}|${spec.elemType}>${spec.outType}|${st}|k${spec.keptRank}|r${spec.redRank}${neg}`;
}

function header(
  spec: {
    readonly elemType: RowsScalar;
    readonly outType: RowsScalar;
    readonly keptRank: number;
    readonly redRank: number;
  },
  math: readonly RowsMath[],
): string {
  return rowsHeader(spec, spec.elemType === "f16" || spec.outType === "f16", math);
}

/**
 * Entry point: stores the math library's run-time 1.0, defines g, q, r, p, base, j0, j1, then
 * `body`.
 */
function segMain(
  spec: { readonly strategy: RowsStrategy; readonly groupSize: number },
  body: string,
): string {
  const group = spec.strategy === "group";
  const g = group
    ? "let g = rows_group(wid, nwg);"
    : `let g = rows_group(wid, nwg) * ${ROWS_WG}u + lid;`;
  return `
@compute @workgroup_size(${group ? spec.groupSize : ROWS_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  nk_one_ = rows_one();
  ${g}
  if (g >= u.rows) { return; }
  let q = u.row_start + g;
  let pb = u.x1 * u.x5;
  let rb = q / pb;
  let rem = q - rb * pb;
  let p = rem / u.x5;
  let r = rb * u.x5 + (rem - p * u.x5);
  let base = rows_row(r);
  let j0 = p * u.x0;
  let j1 = min(u.len, j0 + u.x0);
${body}
}
`;
}

/** The loop over this thread's elements of the segment; `use` sees x (source) and y (destination). */
function segLoop(
  spec: { readonly strategy: RowsStrategy; readonly groupSize: number },
  use: string,
): string {
  const [start, step] =
    spec.strategy === "group" ? ["j0 + lid", `${spec.groupSize}u`] : ["j0", "1u"];
  return `  for (var j = ${start}; j < j1; j += ${step}) {
    let e = rows_elem(j);
    let x = base.x + e.x;
    let y = base.y + e.y;
${use}
  }`;
}

/** Folds one input value into `acc` (accumulators: merged; elements: added or compared). */
function foldElement(spec: SegKernelSpec): string {
  const T = spec.elemType;
  // The float algebras read the element as f32, negated for softmin's statistics.
  const real = `${spec.negateInput ? "-" : ""}f32(src[x])`;
  switch (spec.algebra) {
    case "fsum":
      if (T === "i32" || T === "u32") {
        const mask = T === "i32" ? "0xffff" : "0xffffu";
        return `    let v = src[x];
    blk = df_sum1(df_sum1(blk, f32(v >> 16u) * 65536.0), f32(v & ${mask}));`;
      }
      return "    blk = df_sum1(blk, f32(src[x]));";
    case "expsum":
      return `    blk = df_sum2(blk, df_exp(df_two_sum(${real}, -mx)));`;
    case "isum":
      return `    acc += ${T === "i32" ? "bitcast<u32>(src[x])" : "src[x]"};`;
    case "imax":
      return "    acc = max(acc, src[x]);";
    case "imin":
      return "    acc = min(acc, src[x]);";
    case "fmax":
    case "fmin":
      return `    let v = ${real};
    if (nk_isnan(v)) { nan = true; } else if (v ${spec.algebra === "fmax" ? ">" : "<"} acc) { acc = v; }`;
  }
}

/** WGSL expression merging accumulators a and b. */
function merge(algebra: SegAlgebra, a: string, b: string): string {
  switch (algebra) {
    case "fsum":
    case "expsum":
      return `df_sum_merge(${a}, ${b})`;
    case "isum":
      return `(${a} + ${b})`;
    case "imax":
      return `max(${a}, ${b})`;
    case "imin":
      return `min(${a}, ${b})`;
    case "fmax":
    case "fmin": {
      const cmp = algebra === "fmax" ? ">" : "<";
      return `select(${a}, ${b}, !nk_isnan(${a}) && (nk_isnan(${b}) || ${b} ${cmp} ${a}))`;
    }
  }
}

function identity(spec: SegKernelSpec): string {
  switch (spec.algebra) {
    case "fsum":
    case "expsum":
      return "vec2<f32>(0.0, 0.0)";
    case "isum":
      return "0u";
    case "imax":
      return spec.elemType === "i32" ? "bitcast<i32>(0x80000000u)" : "0u";
    case "imin":
      return spec.elemType === "i32" ? "2147483647i" : "0xffffffffu";
    case "fmax":
      return "nk_neg(nk_inf())";
    case "fmin":
      return "nk_inf()";
  }
}

/** The math snippets a reduction stage calls. */
function segMath(spec: SegKernelSpec): RowsMath[] {
  const math: RowsMath[] = [];
  if (spec.algebra === "fsum" || spec.algebra === "expsum") math.push("sum");
  if (spec.algebra === "expsum" && spec.input === "elements") math.push("exp");
  if (spec.finish === "lse") math.push("log");
  return math;
}

/** WGSL of one stage of a segmented reduction (see the module comment). */
export function segReduceWgsl(spec: SegKernelSpec): string {
  const acc = accOf(spec.algebra, spec.elemType);
  const dd = spec.algebra === "fsum" || spec.algebra === "expsum";
  const group = spec.strategy === "group";
  const inType = spec.input === "accs" ? acc.type : spec.elemType;
  const outType = spec.finish === "acc" ? acc.type : spec.outType;
  const stats = spec.algebra === "expsum" || spec.finish === "lse";
  let body = "";
  if (stats) {
    body += `  let mx = stats_m[r - u.x2];
  let skip = !nk_finite(mx);
`;
  }
  if (spec.input === "accs") {
    body += `  var acc: ${acc.type} = ${identity(spec)};
${segLoop(spec, `    acc = ${merge(spec.algebra, "acc", "src[x]")};`)}`;
  } else if (dd) {
    // Blocks of 1024 Neumaier steps folded into a renormalised total, as in rowsSumLoop.
    const loop = segLoop(
      spec,
      `${foldElement(spec)}
    cnt += 1u;
    if (cnt == 1024u) {
      acc = df_sum_merge(acc, blk);
      blk = vec2<f32>(0.0, 0.0);
      cnt = 0u;
    }`,
    );
    const guarded = spec.algebra === "expsum" ? `  if (!skip) {\n${loop}\n  }` : loop;
    body += `  var acc = vec2<f32>(0.0, 0.0);
  var blk = vec2<f32>(0.0, 0.0);
  var cnt = 0u;
${guarded}
  acc = df_sum_merge(acc, blk);`;
  } else if (spec.algebra === "fmax" || spec.algebra === "fmin") {
    body += `  var acc = ${identity(spec)};
  var nan = false;
${segLoop(spec, foldElement(spec))}
  if (nan) { acc = nk_nan(); }`;
  } else {
    body += `  var acc: ${acc.type} = ${identity(spec)};
${segLoop(spec, foldElement(spec))}`;
  }
  body += `
  var total: ${acc.type};
${rowsReduce(
  { strategy: spec.strategy, groupSize: spec.groupSize },
  "total",
  "acc",
  `sh[ia] = ${merge(spec.algebra, "sh[ia]", "sh[ib]")};`,
)}`;
  let value: string;
  switch (spec.finish) {
    case "acc":
      value = "total";
      break;
    case "mean":
      value = "df_sum_mean(total, u.x3)";
      break;
    case "lse":
      value = "lse_value";
      break;
    case "value":
      value = dd
        ? "df_sum_value(total)"
        : spec.algebra === "isum" && spec.outType === "i32"
          ? "bitcast<i32>(total)"
          : "total";
      break;
  }
  if (spec.finish === "lse") {
    // mx + log(total) with the log carried as (hi, lo), as in the one-pass kernel.
    body += `
  var lse_value = mx;
  if (nk_isnan(mx)) {
    lse_value = nk_nan();
  } else if (!skip) {
    lse_value = df_addf(vec2<f32>(mx, 0.0), df_log(total)).x;
  }`;
  }
  const target = spec.finish === "acc" ? "u.out_base + g" : "base.y";
  const store = `dst[${target}] = ${spec.finish === "acc" ? value : `${outType}(${value})`};`;
  body += group ? `\n  if (lid == 0u) { ${store} }` : `\n  ${store}`;
  return `${header(spec, segMath(spec))}
@group(0) @binding(1) var<storage, read> src: array<${inType}>;
@group(0) @binding(2) var<storage, read_write> dst: array<${outType}>;
${stats ? "@group(0) @binding(3) var<storage, read> stats_m: array<f32>;" : ""}
${group ? `var<workgroup> sh: array<${acc.type}, ${spec.groupSize}>;` : ""}
${segMain(spec, body)}`;
}

export interface SegApplySpec {
  readonly variant: SoftmaxVariant;
  readonly elemType: RowsScalar;
  readonly outType: RowsScalar;
  readonly strategy: RowsStrategy;
  readonly groupSize: 64 | 256;
  readonly keptRank: number;
  readonly redRank: number;
}

export function segApplyKey(spec: SegApplySpec): string {
  const st = spec.strategy === "group" ? `group${spec.groupSize}` : "thread";
  return `rows-seg-apply|${spec.variant}|${spec.elemType}>${spec.outType}|${st}|k${spec.keptRank}|r${spec.redRank}`;
}

/** softmax / logSoftmax / softmin of each element of a segment, from the row's max and sum of exp. */
export function segApplyWgsl(spec: SegApplySpec): string {
  const log = spec.variant === "logSoftmax";
  const body = `  let mx = stats_m[r - u.x2];
  let total = stats_s[r - u.x4];
  let skip = !nk_finite(mx);
${softmaxLog(log)}${segLoop(
  spec,
  `${softmaxValue(log)}
    if (skip) { res = nk_nan(); }
    dst[y] = ${spec.outType}(res);`,
)}`;
  return `${header(spec, log ? ["sum", "exp", "log"] : ["sum", "exp"])}
${loadF32(spec.variant === "softmin")}
@group(0) @binding(1) var<storage, read> src: array<${spec.elemType}>;
@group(0) @binding(2) var<storage, read_write> dst: array<${spec.outType}>;
@group(0) @binding(3) var<storage, read> stats_m: array<f32>;
@group(0) @binding(4) var<storage, read> stats_s: array<vec2<f32>>;
${segMain(spec, body)}`;
}
