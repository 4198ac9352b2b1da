import { MxArray } from "../array/array.js";
import type { DType } from "../dtype/dtype.js";
import { atLeastFloat, promote } from "../dtype/promotion.js";
import { NnkitError } from "../errors.js";
import { type BinaryOp, COMPARISON_OPS, type UnaryOp } from "../expr/ops.js";
import { broadcastShapesFor } from "../shape/broadcast.js";
import { type ArrayInput, checkSameDevice, toArray, toArrayPair } from "./input.js";

/** How each unary op's result dtype follows from its input's (MLX's rules). */
const UNARY_RESULT: Record<UnaryOp, (d: DType) => DType> = {
  negative: (d) => d,
  abs: (d) => d,
  sign: (d) => d,
  square: (d) => d,
  sqrt: atLeastFloat,
  exp: atLeastFloat,
  expm1: atLeastFloat,
  log: atLeastFloat,
  log1p: atLeastFloat,
  tanh: atLeastFloat,
  erf: atLeastFloat,
  erfc: atLeastFloat,
  erfinv: atLeastFloat,
  sigmoid: atLeastFloat,
  isnan: () => "bool",
  isinf: () => "bool",
  logicalNot: () => "bool",
  bitsToUnitFloat: () => "float32",
};

/** Records a unary elementwise op. `fn` is the public name used in errors. */
export function unaryOp(fn: string, op: UnaryOp, x: ArrayInput): MxArray {
  const a = toArray(fn, "x", x);
  if (a.dtype === "bool" && (op === "negative" || op === "sign")) {
    throw new NnkitError(
      fn,
      "not supported for bool arrays (MLX raises here too); cast with astype first",
    );
  }
  if (op === "bitsToUnitFloat" && a.dtype !== "uint32") {
    throw new NnkitError(fn, `expects uint32 random bits; got ${a.dtype}`);
  }
  return new MxArray(a.shape, UNARY_RESULT[op](a.dtype), a.device, {
    node: { prim: { kind: "unary", op }, inputs: [a] },
  });
}

function binaryResult(fn: string, op: BinaryOp, a: DType, b: DType): DType {
  const common = promote(fn, a, b);
  if (COMPARISON_OPS.has(op)) return "bool";
  if (op === "divide" || op === "logaddexp") return atLeastFloat(common);
  if (op === "subtract" && common === "bool") {
    throw new NnkitError(
      fn,
      "not supported for bool arrays (MLX raises here too); cast with astype first",
    );
  }
  return common;
}

/** Records a binary elementwise op with NumPy broadcasting and MLX promotion. */
export function binaryOp(fn: string, op: BinaryOp, x: ArrayInput, y: ArrayInput): MxArray {
  const [a, b] = toArrayPair(fn, x, y);
  const device = checkSameDevice(fn, a, b);
  const shape = broadcastShapesFor(fn, a.shape, b.shape);
  return new MxArray(shape, binaryResult(fn, op, a.dtype, b.dtype), device, {
    node: { prim: { kind: "binary", op }, inputs: [a, b] },
  });
}

const u = (fn: string, op: UnaryOp) => (x: ArrayInput) => unaryOp(fn, op, x);
const b = (fn: string, op: BinaryOp) => (x: ArrayInput, y: ArrayInput) => binaryOp(fn, op, x, y);

export const negative = u("negative", "negative");
export const abs = u("abs", "abs");
/** -1, 0 or +1; sign(-0) = 0 and sign(NaN) = 0 as in MLX. */
export const sign = u("sign", "sign");
export const square = u("square", "square");
export const sqrt = u("sqrt", "sqrt");
export const exp = u("exp", "exp");
export const expm1 = u("expm1", "expm1");
export const log = u("log", "log");
export const log1p = u("log1p", "log1p");
export const tanh = u("tanh", "tanh");
export const erf = u("erf", "erf");
/** 1 - erf(x), accurate in the tails (not in MLX; nnkit's activations need it). */
export const erfc = u("erfc", "erfc");
export const erfinv = u("erfinv", "erfinv");
export const sigmoid = u("sigmoid", "sigmoid");
export const isnan = u("isnan", "isnan");
export const isinf = u("isinf", "isinf");
export const logicalNot = u("logicalNot", "logicalNot");

export const add = b("add", "add");
export const subtract = b("subtract", "subtract");
export const multiply = b("multiply", "multiply");
/** True division: integer inputs give float32. */
export const divide = b("divide", "divide");
export const power = b("power", "power");
/** Elementwise max; NaN in either operand propagates. */
export const maximum = b("maximum", "maximum");
/** Elementwise min; NaN in either operand propagates. */
export const minimum = b("minimum", "minimum");
/** log(exp(a) + exp(b)) without overflow. */
export const logaddexp = b("logaddexp", "logaddexp");
export const greater = b("greater", "greater");
export const greaterEqual = b("greaterEqual", "greaterEqual");
export const less = b("less", "less");
export const lessEqual = b("lessEqual", "lessEqual");
export const equal = b("equal", "equal");
export const notEqual = b("notEqual", "notEqual");

/** `where(condition, x, y)`: x where condition is true (non-zero), else y; broadcasts all three. */
export function where(condition: ArrayInput, x: ArrayInput, y: ArrayInput): MxArray {
  const fn = "where";
  const c = toArray(fn, "condition", condition);
  const [a, bb] = toArrayPair(fn, x, y, ["x", "y"]);
  const device = checkSameDevice(fn, c, a, bb);
  const shape = broadcastShapesFor(fn, c.shape, a.shape, bb.shape);
  return new MxArray(shape, promote(fn, a.dtype, bb.dtype), device, {
    node: { prim: { kind: "where" }, inputs: [c, a, bb] },
  });
}
