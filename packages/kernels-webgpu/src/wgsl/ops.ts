import { type BinaryOp, type DType, NnkitError, type UnaryOp } from "@nnkit/core";

/**
 * The one op table of the WebGPU backend: for every elementwise primitive and every value
 * domain, the WGSL expression that computes it and the math-library snippets it calls.
 * Activations never reach this file; nn-functions builds them from these primitives and the
 * shader template fuses them (see elementwise-shader.ts).
 *
 * Values in generated code: float nodes (float32, float16, bfloat16) are double-float pairs
 * `vec2<f32>` (hi, lo) computed in f32 arithmetic and rounded to their storage type only at the
 * output or at an explicit cast, as the CPU computes in float64 and rounds once; int32 is `i32`
 * and uint32 `u32` with WGSL's native wrapping; bool is `bool` (stored as u32 0/1).
 */
export type Domain = "float" | "int32" | "uint32" | "bool";

export function domainOf(dtype: DType): Domain {
  if (dtype === "int32" || dtype === "uint32" || dtype === "bool") return dtype;
  return "float";
}

/** WGSL type of a value of each domain inside a kernel. */
export const VALUE_TYPE: Record<Domain, string> = {
  float: "vec2<f32>",
  int32: "i32",
  uint32: "u32",
  bool: "bool",
};

/** A WGSL expression over argument expressions, with the math snippets it needs. */
export interface WgslCode {
  readonly expr: string;
  readonly deps: readonly string[];
}

type Emit = (a: string, b: string) => string;
interface Impl {
  readonly emit: Emit;
  readonly deps: readonly string[];
}

const fn1 = (name: string, dep: string): Impl => ({ emit: (a) => `${name}(${a})`, deps: [dep] });
const fn2 = (name: string, dep: string): Impl => ({
  emit: (a, b) => `${name}(${a}, ${b})`,
  deps: [dep],
});
const code = (emit: Emit, ...deps: string[]): Impl => ({ emit, deps });
const same: Impl = code((a) => a);

const FLOAT_ONLY = (name: string, dep: string): Partial<Record<Domain, Impl>> => ({
  float: fn1(name, dep),
});

const UNARY: Record<UnaryOp, Partial<Record<Domain, Impl>>> = {
  negative: {
    float: fn1("df_neg", "df"),
    int32: code((a) => `(-${a})`),
    uint32: code((a) => `(0u - ${a})`),
    bool: same,
  },
  abs: {
    float: fn1("df_abs", "df_misc"),
    int32: code((a) => `abs(${a})`),
    uint32: same,
    bool: same,
  },
  sign: {
    float: fn1("df_sign", "df_misc"),
    int32: code((a) => `select(select(0, -1, ${a} < 0), 1, ${a} > 0)`),
    uint32: code((a) => `select(0u, 1u, ${a} > 0u)`),
    bool: same,
  },
  square: {
    float: code((a) => `df_mul(${a}, ${a})`, "df"),
    int32: code((a) => `(${a} * ${a})`),
    uint32: code((a) => `(${a} * ${a})`),
    bool: same,
  },
  sqrt: FLOAT_ONLY("df_sqrt", "df_sqrt"),
  exp: FLOAT_ONLY("df_exp", "exp"),
  expm1: FLOAT_ONLY("df_expm1", "expm1"),
  log: FLOAT_ONLY("df_log", "log"),
  log1p: FLOAT_ONLY("df_log1p", "log1p"),
  tanh: FLOAT_ONLY("df_tanh", "tanh"),
  erf: FLOAT_ONLY("df_erf", "erf"),
  erfc: FLOAT_ONLY("df_erfc", "erfc"),
  erfinv: FLOAT_ONLY("df_erfinv", "erfinv"),
  sigmoid: FLOAT_ONLY("df_sigmoid", "sigmoid"),
  // predicates: computed in the operand's own domain
  isnan: {
    float: code((a) => `nk_isnan(${a}.x)`, "bits"),
    int32: code(() => "false"),
    uint32: code(() => "false"),
    bool: code(() => "false"),
  },
  isinf: {
    float: code((a) => `nk_isinf(${a}.x)`, "bits"),
    int32: code(() => "false"),
    uint32: code(() => "false"),
    bool: code(() => "false"),
  },
  // C++ truthiness: NaN is true, so not(NaN) is false
  logicalNot: {
    float: code((a) => `!nk_truthy(${a})`, "df_misc"),
    int32: code((a) => `(${a} == 0)`),
    uint32: code((a) => `(${a} == 0u)`),
    bool: code((a) => `!${a}`),
  },
  // uint32 bits b → float32(b) · 2^-32 (operand in the uint32 domain)
  bitsToUnitFloat: {
    uint32: code((a) => `vec2<f32>(nk_u2df(${a}).x * 0x1p-32f, 0.0)`, "convert"),
  },
};

/** Unary ops computed in their operand's domain rather than the result's. */
const OPERAND_DOMAIN_UNARY: ReadonlySet<UnaryOp> = new Set(["isnan", "isinf", "logicalNot"]);

const INT_BINARY = (op: string): Impl => code((a, b) => `(${a} ${op} ${b})`);

const BINARY: Record<BinaryOp, Partial<Record<Domain, Impl>>> = {
  add: {
    float: fn2("df_add", "df"),
    int32: INT_BINARY("+"),
    uint32: INT_BINARY("+"),
    bool: INT_BINARY("||"),
  },
  subtract: {
    float: fn2("df_sub", "df"),
    int32: INT_BINARY("-"),
    uint32: INT_BINARY("-"),
    bool: INT_BINARY("!="),
  },
  multiply: {
    float: fn2("df_mul", "df"),
    int32: INT_BINARY("*"),
    uint32: INT_BINARY("*"),
    bool: INT_BINARY("&&"),
  },
  divide: { float: fn2("df_div", "df") },
  power: {
    float: fn2("df_pow", "pow"),
    int32: fn2("nk_ipow_i32", "ipow"),
    uint32: fn2("nk_ipow_u32", "ipow"),
    bool: code((a, b) => `(${a} || !${b})`),
  },
  maximum: {
    float: fn2("df_max", "df_cmp"),
    int32: fn2("max", "bits"),
    uint32: fn2("max", "bits"),
    bool: INT_BINARY("||"),
  },
  minimum: {
    float: fn2("df_min", "df_cmp"),
    int32: fn2("min", "bits"),
    uint32: fn2("min", "bits"),
    bool: INT_BINARY("&&"),
  },
  logaddexp: { float: fn2("df_logaddexp", "logaddexp") },
  // comparisons: computed in the operands' common domain (see compareDomain), result bool
  greater: {
    float: code((a, b) => `df_lt(${b}, ${a})`, "df_cmp"),
    int32: INT_BINARY(">"),
    uint32: INT_BINARY(">"),
  },
  greaterEqual: {
    float: code((a, b) => `df_le(${b}, ${a})`, "df_cmp"),
    int32: INT_BINARY(">="),
    uint32: INT_BINARY(">="),
  },
  less: { float: fn2("df_lt", "df_cmp"), int32: INT_BINARY("<"), uint32: INT_BINARY("<") },
  lessEqual: { float: fn2("df_le", "df_cmp"), int32: INT_BINARY("<="), uint32: INT_BINARY("<=") },
  equal: { float: fn2("df_eq", "df_cmp"), int32: INT_BINARY("=="), uint32: INT_BINARY("==") },
  notEqual: {
    float: code((a, b) => `!df_eq(${a}, ${b})`, "df_cmp"),
    int32: INT_BINARY("!="),
    uint32: INT_BINARY("!="),
  },
};

const COMPARISONS: ReadonlySet<BinaryOp> = new Set([
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "equal",
  "notEqual",
]);

function unsupported(what: string, dtype: DType): never {
  throw new NnkitError("evaluate", `the webgpu backend has no ${what} for ${dtype} operands`);
}

/** The domain unary `op` computes in, given its operand's and its result's dtypes. */
export function unaryDomain(op: UnaryOp, operand: DType, result: DType): Domain {
  if (op === "bitsToUnitFloat") return "uint32";
  return domainOf(OPERAND_DOMAIN_UNARY.has(op) ? operand : result);
}

/**
 * The domain binary `op` computes in: the result's, except for comparisons, which compare in
 * the operands' common domain (any float → float; int32 with uint32 compares exactly as pairs).
 */
export function binaryDomain(op: BinaryOp, lhs: DType, rhs: DType, result: DType): Domain {
  if (!COMPARISONS.has(op)) return domainOf(result);
  const a = domainOf(lhs);
  const b = domainOf(rhs);
  if (a === "float" || b === "float") return "float";
  if ((a === "int32" && b === "uint32") || (a === "uint32" && b === "int32")) return "float";
  if (a === "int32" || b === "int32") return "int32";
  return "uint32";
}

export function unaryCode(op: UnaryOp, domain: Domain, a: string, dtype: DType): WgslCode {
  const impl = UNARY[op][domain] ?? unsupported(op, dtype);
  return { expr: impl.emit(a, ""), deps: impl.deps };
}

export function binaryCode(
  op: BinaryOp,
  domain: Domain,
  a: string,
  b: string,
  dtype: DType,
): WgslCode {
  const impl = BINARY[op][domain] ?? unsupported(op, dtype);
  return { expr: impl.emit(a, b), deps: impl.deps };
}

/**
 * An operand of domain `from` as a value of domain `to` (MLX promotion inside an op; the
 * float → integer direction only occurs through casts and truncates as `castCode` does).
 */
export function convertCode(from: Domain, to: Domain, x: string): WgslCode {
  if (from === to) return { expr: x, deps: [] };
  switch (to) {
    case "float":
      if (from === "int32") return { expr: `nk_i2df(${x})`, deps: ["convert"] };
      if (from === "uint32") return { expr: `nk_u2df(${x})`, deps: ["convert"] };
      return { expr: `vec2<f32>(select(0.0, 1.0, ${x}), 0.0)`, deps: [] };
    case "int32":
      if (from === "uint32") return { expr: `bitcast<i32>(${x})`, deps: [] };
      if (from === "bool") return { expr: `select(0, 1, ${x})`, deps: [] };
      return { expr: `bitcast<i32>(nk_df_to_u32(${x}))`, deps: ["convert"] };
    case "uint32":
      if (from === "int32") return { expr: `bitcast<u32>(${x})`, deps: [] };
      if (from === "bool") return { expr: `select(0u, 1u, ${x})`, deps: [] };
      return { expr: `nk_df_to_u32(${x})`, deps: ["convert"] };
    case "bool":
      if (from === "float") return { expr: `nk_truthy(${x})`, deps: ["df_misc"] };
      if (from === "int32") return { expr: `(${x} != 0)`, deps: [] };
      return { expr: `(${x} != 0u)`, deps: [] };
  }
}

/**
 * An explicit cast (core's astype and fused dtype changes) with the CPU's semantics: to a
 * float type the exact value is rounded once to that type (ties to even, overflow to inf);
 * float → integer truncates toward zero, wraps modulo 2^32, NaN/±inf → 0; anything → bool is
 * `!= 0` (NaN true).
 */
export function castCode(from: DType, to: DType, x: string): WgslCode {
  const src = domainOf(from);
  const asFloat = convertCode(src, "float", x);
  const deps = [...asFloat.deps];
  switch (to) {
    case "float32":
      return { expr: `vec2<f32>((${asFloat.expr}).x, 0.0)`, deps };
    case "float16":
      return {
        expr: `vec2<f32>(nk_f16_to_f32(nk_df_to_f16(${asFloat.expr})), 0.0)`,
        deps: [...deps, "convert"],
      };
    case "bfloat16":
      return { expr: `vec2<f32>(nk_df_to_bf16(${asFloat.expr}), 0.0)`, deps: [...deps, "convert"] };
    default:
      return convertCode(src, domainOf(to), x);
  }
}
