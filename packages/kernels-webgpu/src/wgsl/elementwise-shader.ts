import { type DType, type ExprNode, type FusedExpr, NnkitError } from "@nnkit/core";
import { mathLibrary } from "./math/index.js";
import {
  binaryCode,
  binaryDomain,
  castCode,
  convertCode,
  type Domain,
  domainOf,
  unaryCode,
  unaryDomain,
  VALUE_TYPE,
  type WgslCode,
} from "./ops.js";

/**
 * The one shader template for fused elementwise expressions. It turns a FusedExpr (a DAG of
 * input/scalar/unary/binary/where/cast nodes) into a compute shader; what varies between
 * shaders is only the expression's structure and dtypes and how each input is read, never
 * sizes or scalar values, which arrive in a uniform buffer:
 *
 *   word 0: element count of this dispatch      word 1: index of its first element
 *   word 2: rank of the (collapsed) shape        word 3: 1.0f (see nk_one_ in math/core.ts)
 *   words 4..11: the shape, outermost first
 *   then per bound input: its element offset inside its binding
 *   then per strided input: 8 strides (elements, two's complement)
 *   then per scalar: float → 2 words (f32 hi, f32 lo of the float64 value), others → 1 word
 *
 * Bindings: 0 the uniform, 1 the output, 2.. the inputs the expression reads, in input order.
 * One workgroup has 64 invocations; the linear workgroup index is wid.y·nwg.x + wid.x (the
 * context lays large dispatches on a 2-D grid).
 *
 * Modes: "scalar" (one element per invocation, any layout), "vec4" (four elements per
 * invocation through vec4 loads and stores, when every input is contiguous or constant and
 * offsets are multiples of 4; the last group stores only its valid lanes), "half2" (float16
 * output: two elements per invocation, stored as one u32 word), and "box" (the dispatch covers
 * a box of the shape rather than a range of it: coordinates come from the box shape, every
 * array, the output included, is addressed through offset + strides; used when a strided input
 * cannot fit in one binding for any range of the output; a float16 output is then written by
 * halves with atomicAnd/atomicOr so neighbouring invocations cannot race on a shared word).
 * In box mode the uniform also holds, after the shape, the output's offset and 8 strides.
 */
export type InputLayout = "contiguous" | "constant" | "strided";
export type ElementwiseMode = "scalar" | "vec4" | "half2" | "box";

export interface ElementwiseShaderSpec {
  readonly expr: FusedExpr;
  /** Per input index; undefined for inputs the expression never reads (they are not bound). */
  readonly layouts: readonly (InputLayout | undefined)[];
  readonly mode: ElementwiseMode;
}

export const WORKGROUP_SIZE = 64;
export const MAX_DIMS = 8;
/** Elements each invocation computes, by mode. */
export const ELEMENTS_PER_INVOCATION: Record<ElementwiseMode, number> = {
  scalar: 1,
  vec4: 4,
  half2: 2,
  box: 1,
};

/** How a dtype is stored in a binding: WGSL element type and bytes (float16 is packed in u32). */
export function storageOf(dtype: DType): {
  readonly wgsl: "f32" | "i32" | "u32";
  readonly bytes: 2 | 4;
} {
  switch (dtype) {
    case "float32":
      return { wgsl: "f32", bytes: 4 };
    case "int32":
      return { wgsl: "i32", bytes: 4 };
    case "uint32":
    case "bool":
      return { wgsl: "u32", bytes: 4 };
    case "float16":
      return { wgsl: "u32", bytes: 2 };
    case "bfloat16":
      throw new NnkitError(
        "evaluate",
        "the webgpu backend does not store bfloat16 arrays; use float32 or float16",
      );
  }
}

/** Where each datum sits in the uniform words (see the file comment). */
export interface UniformPlan {
  readonly words: number;
  /** Box mode: the output's element offset and strides. */
  readonly outOffset: number | undefined;
  readonly outStrides: number | undefined;
  readonly inputOffset: readonly (number | undefined)[];
  readonly inputStrides: readonly (number | undefined)[];
  readonly scalar: readonly number[];
}

export function uniformPlan(
  expr: FusedExpr,
  layouts: readonly (InputLayout | undefined)[],
  mode: ElementwiseMode,
): UniformPlan {
  let w = 4 + MAX_DIMS;
  const outOffset = mode === "box" ? w++ : undefined;
  const outStrides = mode === "box" ? w : undefined;
  if (mode === "box") w += MAX_DIMS;
  const inputOffset = layouts.map((l) => (l === undefined ? undefined : w++));
  const inputStrides = layouts.map((l) => {
    if (l !== "strided") return undefined;
    const at = w;
    w += MAX_DIMS;
    return at;
  });
  const scalarDtypes: DType[] = [];
  for (const n of expr.nodes) if (n.kind === "scalar") scalarDtypes[n.index] = n.dtype;
  const scalar: number[] = [];
  for (let s = 0; s < expr.scalarCount; s++) {
    scalar.push(w);
    w += domainOf(scalarDtypes[s] ?? "float32") === "float" ? 2 : 1;
  }
  return { words: Math.ceil(w / 4) * 4, outOffset, outStrides, inputOffset, inputStrides, scalar };
}

const LAYOUT_LETTER: Record<InputLayout, string> = { contiguous: "c", constant: "k", strided: "s" };

/** The pipeline cache key: expression structure and dtypes, input layouts, mode. Never sizes. */
export function elementwiseShaderKey(spec: ElementwiseShaderSpec): string {
  const layout = spec.layouts.map((l) => (l === undefined ? "-" : LAYOUT_LETTER[l])).join("");
  return `elementwise|${spec.mode}|${layout}|${spec.expr.key}`;
}

/** The output value of a node of `dtype` as the storage word(s) the output holds. */
function storeCode(dtype: DType, v: string): WgslCode {
  switch (dtype) {
    case "float32":
      return { expr: `${v}.x`, deps: [] };
    case "float16":
      return { expr: `nk_df_to_f16(${v})`, deps: ["convert"] };
    case "bool":
      return { expr: `select(0u, 1u, ${v})`, deps: [] };
    default:
      return { expr: v, deps: [] };
  }
}

/** A raw stored element (float16: its 16-bit pattern in a u32) as a value of its domain. */
function loadCode(dtype: DType, raw: string): WgslCode {
  switch (dtype) {
    case "float32":
      return { expr: `vec2<f32>(${raw}, 0.0)`, deps: [] };
    case "float16":
      return { expr: `vec2<f32>(nk_f16_to_f32(${raw}), 0.0)`, deps: ["convert"] };
    case "bool":
      return { expr: `(${raw} != 0u)`, deps: [] };
    default:
      return { expr: raw, deps: [] };
  }
}

/** Ops whose tiny results can be produced with a separate exponent (math/scaled.ts). */
const SCALED_UNARY: Partial<Record<string, string>> = {
  exp: "exp_sc",
  sigmoid: "sigmoid_sc",
  erfc: "erfc_sc",
  tanh: "tanh_sc",
};

/**
 * How the float product chains of an expression are evaluated: a multiply/divide used once by
 * another multiply/divide is folded into its consumer (`internal`); a chain root with folded
 * nodes or with `scaled` factors (exp, sigmoid, erfc, logaddexp, tanh of those, used once by
 * the chain) is computed with separate exponents and rounded once (see math/scaled.ts).
 */
function productChains(nodes: readonly ExprNode[]): {
  internal: boolean[];
  scaled: boolean[];
  root: boolean[];
} {
  const uses = nodes.map(() => 0);
  const consumer: number[] = nodes.map(() => -1);
  const use = (arg: number, by: number) => {
    uses[arg] = (uses[arg] as number) + 1;
    consumer[arg] = by;
  };
  for (const [i, n] of nodes.entries()) {
    if (n.kind === "unary" || n.kind === "cast") use(n.arg, i);
    else if (n.kind === "binary") {
      use(n.lhs, i);
      use(n.rhs, i);
    } else if (n.kind === "where") {
      use(n.cond, i);
      use(n.a, i);
      use(n.b, i);
    }
  }
  const mulDiv = nodes.map(
    (n) =>
      n.kind === "binary" &&
      (n.op === "multiply" || n.op === "divide") &&
      domainOf(n.dtype) === "float",
  );
  const single = (i: number) => uses[i] === 1 && (consumer[i] as number) >= 0;
  const internal = nodes.map(
    (_, i) => mulDiv[i] === true && single(i) && mulDiv[consumer[i] as number] === true,
  );
  // consumers are later in the list: decide from the output back
  const scaled = nodes.map(() => false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i] as ExprNode;
    if (!single(i) || domainOf(n.dtype) !== "float") continue;
    const c = consumer[i] as number;
    const cn = nodes[c] as ExprNode;
    const accepts =
      mulDiv[c] === true || (scaled[c] === true && cn.kind === "unary" && cn.op === "tanh");
    const capable =
      (n.kind === "unary" && SCALED_UNARY[n.op] !== undefined) ||
      (n.kind === "binary" && n.op === "logaddexp");
    scaled[i] = accepts && capable;
  }
  const root = nodes.map((n, i) => {
    if (!mulDiv[i] || internal[i] || n.kind !== "binary") return false;
    return [n.lhs, n.rhs].some((f) => internal[f] === true || scaled[f] === true);
  });
  return { internal, scaled, root };
}

/** WGSL of `nk_compute(a<k>: raw input values...) -> output storage word`. */
function computeFunction(
  expr: FusedExpr,
  layouts: readonly (InputLayout | undefined)[],
  plan: UniformPlan,
  deps: Set<string>,
): string {
  const nodes = expr.nodes;
  const dtype = (i: number): DType => (nodes[i] as ExprNode).dtype;
  const take = (c: WgslCode): string => {
    for (const d of c.deps) deps.add(d);
    return c.expr;
  };
  const as = (i: number, to: Domain): string => take(convertCode(domainOf(dtype(i)), to, `v${i}`));
  const { internal, scaled, root } = productChains(nodes);
  /** A chain factor or folded product as an NkSc expression. */
  const chain = (i: number): string => {
    if (scaled[i]) return `s${i}`;
    const n = nodes[i] as ExprNode;
    if (internal[i] || root[i]) {
      if (n.kind !== "binary") throw new Error("internal: product chain node is not binary");
      deps.add("scaled");
      return `nk_sc_${n.op === "multiply" ? "mul" : "div"}(${chain(n.lhs)}, ${chain(n.rhs)})`;
    }
    deps.add("scaled");
    return `nk_sc(${as(i, "float")})`;
  };
  const lines: string[] = [];
  for (const [i, n] of nodes.entries()) {
    if (internal[i]) continue;
    if (scaled[i]) {
      let e: string;
      if (n.kind === "unary" && n.op === "tanh") {
        deps.add("tanh_sc");
        e = `df_tanh_sc(${scaled[n.arg] ? `s${n.arg}` : `nk_sc(${as(n.arg, "float")})`})`;
      } else if (n.kind === "unary") {
        const dep = SCALED_UNARY[n.op] as string;
        deps.add(dep);
        e = `df_${n.op}_sc(${as(n.arg, "float")})`;
      } else if (n.kind === "binary") {
        deps.add("logaddexp_sc");
        e = `df_logaddexp_sc(${as(n.lhs, "float")}, ${as(n.rhs, "float")})`;
      } else {
        throw new Error("internal: unexpected scaled node");
      }
      lines.push(`  let s${i}: NkSc = ${e};`);
      continue;
    }
    let e: string;
    switch (n.kind) {
      case "input":
        e = take(loadCode(n.dtype, `a${n.index}`));
        break;
      case "scalar": {
        const w = plan.scalar[n.index] as number;
        const d = domainOf(n.dtype);
        if (d === "float")
          e = `vec2<f32>(bitcast<f32>(nk_w(${w}u)), bitcast<f32>(nk_w(${w + 1}u)))`;
        else if (d === "int32") e = `bitcast<i32>(nk_w(${w}u))`;
        else if (d === "uint32") e = `nk_w(${w}u)`;
        else e = `(nk_w(${w}u) != 0u)`;
        break;
      }
      case "unary": {
        const d = unaryDomain(n.op, dtype(n.arg), n.dtype);
        e = take(unaryCode(n.op, d, as(n.arg, d), dtype(n.arg)));
        break;
      }
      case "binary": {
        if (root[i]) {
          e = `nk_sc_out(${chain(i)})`;
          break;
        }
        const d = binaryDomain(n.op, dtype(n.lhs), dtype(n.rhs), n.dtype);
        e = take(binaryCode(n.op, d, as(n.lhs, d), as(n.rhs, d), dtype(n.lhs)));
        break;
      }
      case "where": {
        const d = domainOf(n.dtype);
        e = `select(${as(n.b, d)}, ${as(n.a, d)}, ${as(n.cond, "bool")})`;
        break;
      }
      case "cast":
        e = take(castCode(dtype(n.arg), n.dtype, `v${n.arg}`));
        break;
    }
    lines.push(`  let v${i}: ${VALUE_TYPE[domainOf(n.dtype)]} = ${e};`);
  }
  const params = layouts.flatMap((l, k) =>
    l === undefined ? [] : [`a${k}: ${storageOf(expr.inputDtypes[k] as DType).wgsl}`],
  );
  const out = storageOf(expr.outDtype).wgsl;
  const result = take(storeCode(expr.outDtype, `v${nodes.length - 1}`));
  return `fn nk_compute(${params.join(", ")}) -> ${out} {\n${lines.join("\n")}\n  return ${result};\n}`;
}

/** The element type of the output binding. */
function outElement(mode: ElementwiseMode, dtype: DType): string {
  const t = storageOf(dtype).wgsl;
  if (mode === "vec4") return `vec4<${t}>`;
  if (mode === "box" && dtype === "float16") return "atomic<u32>";
  return t;
}

/** An element `e` (an expression or identifier) of input k's binding, as its raw value. */
function rawLoad(dtype: DType, k: number, e: string): string {
  if (dtype === "float16") return `((nk_in${k}[(${e}) >> 1u] >> (((${e}) & 1u) << 4u)) & 0xffffu)`;
  return `nk_in${k}[${e}]`;
}

/** The WGSL source of the shader for `spec`. */
export function elementwiseShader(spec: ElementwiseShaderSpec): string {
  const { expr, layouts, mode } = spec;
  const plan = uniformPlan(expr, layouts, mode);
  const deps = new Set<string>(["bits"]);
  const compute = computeFunction(expr, layouts, plan, deps);
  const outStorage = storageOf(expr.outDtype).wgsl;
  const vec = (t: string) => `vec4<${t}>`;
  const decls: string[] = [
    `struct NkParams { w: array<vec4<u32>, ${plan.words / 4}> }`,
    "@group(0) @binding(0) var<uniform> P: NkParams;",
    `@group(0) @binding(1) var<storage, read_write> nk_out: array<${outElement(mode, expr.outDtype)}>;`,
  ];
  let binding = 2;
  for (const [k, l] of layouts.entries()) {
    if (l === undefined) continue;
    const t = storageOf(expr.inputDtypes[k] as DType).wgsl;
    const arr = mode === "vec4" && l === "contiguous" ? vec(t) : t;
    decls.push(`@group(0) @binding(${binding++}) var<storage, read> nk_in${k}: array<${arr}>;`);
  }
  decls.push("fn nk_w(j: u32) -> u32 { return P.w[j >> 2u][j & 3u]; }");

  const used = layouts.flatMap((l, k) => (l === undefined ? [] : [k]));
  const dtypeOf = (k: number) => expr.inputDtypes[k] as DType;
  const offsetWord = (k: number) => plan.inputOffset[k] as number;
  let body: string;
  let element = "";
  if (mode === "vec4") {
    const loads = used.map((k) =>
      layouts[k] === "contiguous"
        ? `  let x${k} = nk_in${k}[g + (nk_w(${offsetWord(k)}u) >> 2u)];`
        : `  let x${k} = ${rawLoad(dtypeOf(k), k, `nk_w(${offsetWord(k)}u)`)};`,
    );
    const args = used.map((k) => (layouts[k] === "contiguous" ? `x${k}[j]` : `x${k}`));
    body = [
      "  let i0 = g * 4u;",
      "  if (i0 >= n) { return; }",
      ...loads,
      // a run-time trip count: a constant one would let the compiler unroll four copies of
      // nk_compute (SwiftShader inlines everything; compile time grows faster than size)
      "  let lanes = min(4u, n - i0);",
      `  var r: ${vec(outStorage)};`,
      `  for (var j = 0u; j < lanes; j = j + 1u) { r[j] = nk_compute(${args.join(", ")}); }`,
      "  if (lanes == 4u) {",
      "    nk_out[g] = r;",
      "  } else {",
      "    for (var j = 0u; j < lanes; j = j + 1u) { nk_out[g][j] = r[j]; }",
      "  }",
    ].join("\n");
  } else {
    const strided = used.filter((k) => layouts[k] === "strided");
    const walks = strided.map((k) => ({
      name: `o${k}`,
      offset: offsetWord(k),
      strides: plan.inputStrides[k] as number,
    }));
    if (mode === "box") {
      walks.push({
        name: "oo",
        offset: plan.outOffset as number,
        strides: plan.outStrides as number,
      });
    }
    const prelude: string[] = [];
    if (walks.length > 0) {
      prelude.push("  var rem = nk_w(1u) + i;");
      for (const w of walks) prelude.push(`  var ${w.name} = nk_w(${w.offset}u);`);
      prelude.push("  for (var d = nk_w(2u); d > 0u; d = d - 1u) {");
      prelude.push("    let size = nk_w(3u + d);");
      prelude.push("    let c = rem % size;");
      prelude.push("    rem = rem / size;");
      for (const w of walks)
        prelude.push(`    ${w.name} = ${w.name} + c * nk_w(${w.strides}u + d - 1u);`);
      prelude.push("  }");
    }
    const args = used.map((k) => {
      const l = layouts[k];
      const e =
        l === "strided"
          ? `o${k}`
          : l === "contiguous"
            ? `nk_w(${offsetWord(k)}u) + i`
            : `nk_w(${offsetWord(k)}u)`;
      prelude.push(`  let e${k} = ${e};`);
      return rawLoad(dtypeOf(k), k, `e${k}`);
    });
    const call = `nk_compute(${args.join(", ")})`;
    if (mode === "box") {
      const store =
        expr.outDtype === "float16"
          ? [
              "  let sh = (oo & 1u) << 4u;",
              "  atomicAnd(&nk_out[oo >> 1u], ~(0xffffu << sh));",
              `  atomicOr(&nk_out[oo >> 1u], ${call} << sh);`,
            ]
          : [`  nk_out[oo] = ${call};`];
      element = `fn nk_element(i: u32) {\n${[...prelude, ...store].join("\n")}\n}`;
    } else {
      element = `fn nk_element(i: u32) -> ${outStorage} {\n${prelude.join("\n")}\n  return ${call};\n}`;
    }
    body =
      mode === "box"
        ? ["  if (g >= n) { return; }", "  nk_element(g);"].join("\n")
        : mode === "half2"
          ? [
              "  let i0 = g * 2u;",
              "  if (i0 >= n) { return; }",
              "  var word = 0u;",
              "  for (var j = 0u; j < min(2u, n - i0); j = j + 1u) { word = word | (nk_element(i0 + j) << (j * 16u)); }",
              "  nk_out[g] = word;",
            ].join("\n")
          : ["  if (g >= n) { return; }", "  nk_out[g] = nk_element(g);"].join("\n");
  }

  return [
    `// nnkit fused elementwise kernel (${mode}): ${expr.key}`,
    mathLibrary(deps),
    ...decls,
    compute,
    element,
    `@compute @workgroup_size(${WORKGROUP_SIZE})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
    "  nk_one_ = bitcast<f32>(nk_w(3u));",
    `  let g = (wid.y * nwg.x + wid.x) * ${WORKGROUP_SIZE}u + lid;`,
    "  let n = nk_w(0u);",
    body,
    "}",
    "",
  ].join("\n");
}
