import type { ReduceOp } from "@nnkit/core";
import { mathLibrary } from "./math/index.js";
import { ROWS_WG, rowIndexWgsl } from "./rows-layout.js";

/** WGSL element types of GPU storage. */
export type RowsScalar = "f32" | "f16" | "i32" | "u32";

/**
 * How rows are mapped to threads. "group": one workgroup per row with a shared-memory
 * reduction (long rows). "thread": one thread per row (short rows, or many rows).
 */
export type RowsStrategy = "group" | "thread";

export interface RowsKernelSpec {
  readonly inType: RowsScalar;
  readonly outType: RowsScalar;
  readonly strategy: RowsStrategy;
  /**
   * Threads per workgroup in the group strategy: 256 on GPUs, 64 on software adapters, where
   * compile time grows with the bytes of workgroup memory (measured on SwiftShader: 0.4–0.6 s
   * per KiB; a 256-thread softmax compiled in 1.2 s, a 64-thread one in 0.4 s).
   * The thread strategy always uses ROWS_WG.
   */
  readonly groupSize: 64 | 256;
  readonly keptRank: number;
  readonly redRank: number;
}

/** The cache key of a row kernel: everything its WGSL depends on. */
export function rowsKey(kind: string, spec: RowsKernelSpec): string {
  const strategy = spec.strategy === "group" ? `group${spec.groupSize}` : "thread";
  return `rows-${kind}|${spec.inType}>${spec.outType}|${strategy}|k${spec.keptRank}|r${spec.redRank}`;
}

/**
 * Math snippets of the row kernels (see math/): `bits` always, since every entry point stores
 * the run-time 1.0 that the library's error-free transformations need (`nk_one_`, see
 * math/core.ts); sums, exp and log only where a kernel uses them.
 */
export type RowsMath = "sum" | "exp" | "log";

/** The row index helpers and the math library for a kernel, with the f16 extension if needed. */
export function rowsHeader(
  spec: Pick<RowsKernelSpec, "keptRank" | "redRank">,
  f16: boolean,
  math: readonly RowsMath[],
): string {
  return `${f16 ? "enable f16;\n" : ""}${rowIndexWgsl(spec.keptRank, spec.redRank)}
${mathLibrary(["bits", ...math])}`;
}

/**
 * Header shared by the row kernels: f16 extension, bindings, index and math helpers, and
 * `load_f32`, through which the float kernels read every element (negated with `negateInput`:
 * softmin is softmax of −x, read as such).
 */
export function rowsPrelude(
  spec: RowsKernelSpec,
  math: readonly RowsMath[],
  negateInput = false,
): string {
  const f16 = spec.inType === "f16" || spec.outType === "f16";
  return `${rowsHeader(spec, f16, math)}
@group(0) @binding(1) var<storage, read> src: array<${spec.inType}>;
@group(0) @binding(2) var<storage, read_write> dst: array<${spec.outType}>;
${loadF32(negateInput)}
`;
}

/** WGSL of `load_f32(i)`: element i of `src` as f32, or its negation. */
export function loadF32(negate: boolean): string {
  return `fn load_f32(i: u32) -> f32 { return ${negate ? "-" : ""}f32(src[i]); }`;
}

/**
 * Entry point wrapper: `body` runs with `row` (the global row), `g` (the row within this
 * dispatch), `base` (rows_row(row)) and `lid` (the thread's index in its workgroup). Both
 * strategies exit early past the last row; in the group strategy that test is uniform across
 * the workgroup, so the body may use barriers. The math library's run-time 1.0 is stored first.
 */
export function rowsMain(spec: RowsKernelSpec, body: string): string {
  const group = spec.strategy === "group";
  const g = group
    ? "let g = rows_group(wid, nwg);"
    : `let g = rows_group(wid, nwg) * ${ROWS_WG}u + lid;`;
  return /* wgsl */ `
@compute @workgroup_size(${group ? spec.groupSize : ROWS_WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  nk_one_ = rows_one();
  ${g}
  if (g >= u.rows) { return; }
  let row = u.row_start + g;
  let base = rows_row(row);
${body}
}
`;
}

/**
 * The element loop: in the group strategy thread `lid` takes elements lid, lid + groupSize, …;
 * in the thread strategy the thread takes them all. `use` sees `x` (the source index) and `y`
 * (the destination index, for kernels that write every element).
 */
export function rowsLoop(spec: RowsKernelSpec, use: string): string {
  const [start, step] = spec.strategy === "group" ? ["lid", `${spec.groupSize}u`] : ["0u", "1u"];
  return `  for (var j = ${start}; j < u.len; j += ${step}) {
    let e = rows_elem(j);
    let x = base.x + e.x;
    let y = base.y + e.y;
${use}
  }`;
}

/** Elements summed into one Neumaier block before it is folded into the renormalised total. */
const BLOCK = 1024;

/**
 * A compensated-sum loop: `add` (WGSL using `x`, updating the block accumulator `blk`) runs
 * for each element of the thread's share; every BLOCK elements the block is folded into `acc`
 * (declared here) with a renormalising add.
 */
export function rowsSumLoop(spec: RowsKernelSpec, add: string): string {
  const loop = rowsLoop(
    spec,
    `${add}
    cnt += 1u;
    if (cnt == ${BLOCK}u) {
      acc = df_sum_merge(acc, blk);
      blk = vec2<f32>(0.0, 0.0);
      cnt = 0u;
    }`,
  );
  return `  var acc = vec2<f32>(0.0, 0.0);
  var blk = vec2<f32>(0.0, 0.0);
  var cnt = 0u;
${loop}
  acc = df_sum_merge(acc, blk);`;
}

/** The one shared array of a group kernel: one slot per thread. */
function sharedDecl(spec: Pick<RowsKernelSpec, "strategy" | "groupSize">, type: string): string {
  return spec.strategy === "group" ? `var<workgroup> sh: array<${type}, ${spec.groupSize}>;` : "";
}

/**
 * Reduces the per-thread partial `value` (a WGSL expression) over the workgroup into `result`
 * (declared as a `var` by the caller and holding the thread's own partial in the thread
 * strategy). Two levels: FAN threads each fold FAN slots into their first slot, then thread 0
 * folds those. `combine` is WGSL folding `sh[ib]` into `sh[ia]`. A leading barrier protects
 * slot 0 from being overwritten while an earlier reduction's result is still being read; a
 * trailing one lets every thread read the result.
 */
export function rowsReduce(
  spec: Pick<RowsKernelSpec, "strategy" | "groupSize">,
  result: string,
  value: string,
  combine: string,
): string {
  if (spec.strategy !== "group") return `  ${result} = ${value};`;
  const fan = Math.round(Math.sqrt(spec.groupSize));
  const body = combine
    .split("\n")
    .map((l) => `      ${l.trim()}`)
    .join("\n");
  return `  workgroupBarrier();
  sh[lid] = ${value};
  workgroupBarrier();
  if (lid < ${fan}u) {
    let ia = lid * ${fan}u;
    for (var t = 1u; t < ${fan}u; t++) {
      let ib = ia + t;
${body}
    }
  }
  workgroupBarrier();
  if (lid == 0u) {
    let ia = 0u;
    for (var t = 1u; t < ${fan}u; t++) {
      let ib = t * ${fan}u;
${body}
    }
  }
  workgroupBarrier();
  ${result} = sh[0];`;
}

/**
 * Kinds of reduction:
 * - fsum: double-f32 compensated sum of the values as f32 (integers split exactly);
 * - isum: u32 wrap-around sum (int32/uint32/bool);
 * - fmax/fmin: f32 extreme; a NaN partial stays NaN;
 * - imax/imin: the integer extreme;
 * - lse: f32 max pass, then a compensated sum of exp(x − max).
 */
type Kind = "fsum" | "isum" | "fmax" | "fmin" | "imax" | "imin" | "lse";

function kindOf(op: ReduceOp, spec: RowsKernelSpec): Kind {
  const intIn = spec.inType === "i32" || spec.inType === "u32";
  const intOut = spec.outType === "i32" || spec.outType === "u32";
  switch (op) {
    case "sum":
      return intOut ? "isum" : "fsum";
    case "mean":
      return "fsum";
    case "max":
      return intIn ? "imax" : "fmax";
    case "min":
      return intIn ? "imin" : "fmin";
    case "logsumexp":
      return "lse";
  }
}

/** Adds element `x` into the block accumulator `blk`; integers are split exactly. */
function fsumAdd(inType: RowsScalar): string {
  if (inType === "i32") {
    return `    let v = src[x];
    blk = df_sum1(df_sum1(blk, f32(v >> 16u) * 65536.0), f32(v & 0xffff));`;
  }
  if (inType === "u32") {
    return `    let v = src[x];
    blk = df_sum1(df_sum1(blk, f32(v >> 16u) * 65536.0), f32(v & 0xffffu));`;
  }
  return "    blk = df_sum1(blk, f32(src[x]));";
}

/**
 * The f32 extreme of a thread's elements as `m` (NaN if it met one). The comparisons never see
 * a NaN operand: compilers may assume there is none, and WGSL's max/min may drop it.
 */
function extremePass(spec: RowsKernelSpec, cmp: ">" | "<"): string {
  return `  var m = ${cmp === ">" ? "nk_neg(nk_inf())" : "nk_inf()"};
  var nan = false;
${rowsLoop(
  spec,
  `    let v = load_f32(x);
    if (nk_isnan(v)) { nan = true; } else if (v ${cmp} m) { m = v; }`,
)}
  if (nan) { m = nk_nan(); }`;
}

/** Folds slot ib into slot ia of a shared f32 extreme, NaN winning. */
function extremeCombine(cmp: ">" | "<", field = ""): string {
  const a = `sh[ia]${field}`;
  const b = `sh[ib]${field}`;
  return `if (!nk_isnan(${a}) && (nk_isnan(${b}) || ${b} ${cmp} ${a})) { ${a} = ${b}; }`;
}

/** WGSL of a reduction kernel: `op` over the reduced axes of each row, one output per row. */
export function reduceWgsl(op: ReduceOp, spec: RowsKernelSpec): string {
  const kind = kindOf(op, spec);
  const out = spec.outType;
  const write = (value: string) =>
    spec.strategy === "group"
      ? `  if (lid == 0u) { dst[base.y] = ${out}(${value}); }`
      : `  dst[base.y] = ${out}(${value});`;
  const T = spec.inType;
  let shared = "";
  let body = "";
  let math: RowsMath[] = [];

  switch (kind) {
    case "fsum": {
      const finish = op === "mean" ? "df_sum_mean(total, u.len)" : "df_sum_value(total)";
      math = ["sum"];
      shared = sharedDecl(spec, "vec2<f32>");
      body = `${rowsSumLoop(spec, fsumAdd(T))}
  var total: vec2<f32>;
${rowsReduce(spec, "total", "acc", "sh[ia] = df_sum_merge(sh[ia], sh[ib]);")}
${write(finish)}`;
      break;
    }
    case "isum": {
      const load = T === "i32" ? "bitcast<u32>(src[x])" : "src[x]";
      const cast = out === "i32" ? "bitcast<i32>" : "";
      shared = sharedDecl(spec, "u32");
      body = `  var acc = 0u;
${rowsLoop(spec, `    acc += ${load};`)}
  var total: u32;
${rowsReduce(spec, "total", "acc", "sh[ia] += sh[ib];")}
${write(`${cast}(total)`)}`;
      break;
    }
    case "imax":
    case "imin": {
      const fn = kind === "imax" ? "max" : "min";
      const identity =
        T === "i32"
          ? kind === "imax"
            ? "bitcast<i32>(0x80000000u)"
            : "2147483647i"
          : kind === "imax"
            ? "0u"
            : "0xffffffffu";
      shared = sharedDecl(spec, T);
      body = `  var m: ${T} = ${identity};
${rowsLoop(spec, `    m = ${fn}(m, src[x]);`)}
  var total: ${T};
${rowsReduce(spec, "total", "m", `sh[ia] = ${fn}(sh[ia], sh[ib]);`)}
${write("total")}`;
      break;
    }
    case "fmax":
    case "fmin": {
      const cmp = kind === "fmax" ? ">" : "<";
      shared = sharedDecl(spec, "f32");
      body = `${extremePass(spec, cmp)}
  var total: f32;
${rowsReduce(spec, "total", "m", extremeCombine(cmp))}
${write("total")}`;
      break;
    }
    case "lse": {
      const pass = rowsMaxExpSum(spec);
      shared = pass.shared;
      math = ["sum", "exp", "log"];
      body = `${pass.body}
  // mx + log(total), log(total) as a pair: total ≥ 1 (the max contributes exp(0) = 1).
  var result = mx;
  if (nan_row) {
    result = nk_nan();
  } else if (!skip) {
    result = df_addf(vec2<f32>(mx, 0.0), df_log(total)).x;
  }
${write("result")}`;
      break;
    }
  }
  return `${rowsPrelude(spec, math)}
${shared}
${rowsMain(spec, body)}`;
}

/**
 * The two passes shared by logsumexp and softmax. Defines `mx` (the row's max), `nan_row`
 * (whether the row holds a NaN), `skip` (NaN or a non-finite max: the sum is not computed) and
 * `total`, the compensated (hi, lo) sum of exp(x − mx) over the row. Each difference x − mx is
 * taken exactly (two_sum) and its rounding error corrects the exponential. The group strategy
 * uses one shared vec2 array for both reductions (the max in .x).
 */
export function rowsMaxExpSum(spec: RowsKernelSpec): { shared: string; body: string } {
  const expLoop = rowsSumLoop(spec, "    blk = df_sum2(blk, df_exp(df_two_sum(load_f32(x), -mx)));")
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  const body = `${extremePass(spec, ">")}
  var mm: vec2<f32>;
${rowsReduce(spec, "mm", "vec2<f32>(m, 0.0)", extremeCombine(">", ".x"))}
  let mx = mm.x;
  let nan_row = nk_isnan(mx);
  let skip = nan_row || !nk_finite(mx);
  var part = vec2<f32>(0.0, 0.0);
  if (!skip) {
${expLoop}
    part = acc;
  }
  var total: vec2<f32>;
${rowsReduce(spec, "total", "part", "sh[ia] = df_sum_merge(sh[ia], sh[ib]);")}`;
  return { shared: sharedDecl(spec, "vec2<f32>"), body };
}
