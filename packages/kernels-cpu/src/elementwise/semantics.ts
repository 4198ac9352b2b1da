import type { BinaryOp, DType, UnaryOp } from "@nnkit/core";
import { erf, erfc } from "../math/erf.js";
import { erfinv } from "../math/erfinv.js";
import { tanh } from "../math/tanh.js";
import { roundToBfloat16, roundToFloat16 } from "./rounding.js";

/**
 * What every elementwise primitive computes on the CPU, once, as plain functions over
 * JavaScript numbers. Both the compiled path (generated loops that call these) and the
 * CSP-safe interpreter use this table, so they cannot disagree.
 *
 * Float nodes compute in float64 and are not rounded until the kernel's output; integer nodes
 * wrap to 32 bits at every step (C semantics); bool nodes hold 0 or 1.
 */
export type Domain = "float" | "int32" | "uint32" | "bool";

export function domainOf(dtype: DType): Domain {
  if (dtype === "int32" || dtype === "uint32" || dtype === "bool") return dtype;
  return "float";
}

type Fn1 = (a: number) => number;
type Fn2 = (a: number, b: number) => number;

const b01 = (v: boolean): number => (v ? 1 : 0);

/** C's pow differs from Math.pow at base 1 and at (-1)^±inf, where C gives 1. */
function powFloat(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY)) return 1;
  return a ** b;
}

/** Integer power by repeated squaring with 32-bit wrap-around; negative exponents give 0 (MLX). */
function powInt32(a: number, b: number): number {
  if (b < 0) return a === 1 ? 1 : a === -1 ? (b & 1 ? -1 : 1) : 0;
  let result = 1;
  let base = a | 0;
  let e = b;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return result;
}

/** Numerically stable logistic function in float64. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** MLX's logaddexp: max + log1p(exp(min - max)); returns max when min is -inf or max is +inf. */
export function logaddexp(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (lo === Number.NEGATIVE_INFINITY || hi === Number.POSITIVE_INFINITY) return hi;
  return hi + Math.log1p(Math.exp(lo - hi));
}

const TWO_POW_M32 = 2 ** -32;

const FLOAT_UNARY: Record<UnaryOp, Fn1> = {
  negative: (a) => -a,
  abs: Math.abs,
  // sign(-0) = 0 and sign(NaN) = 0, as MLX.
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
  square: (a) => a * a,
  sqrt: Math.sqrt,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  // V8's Math.tanh is off by up to 2 ulp near |x| ≈ 0.4; this one is within 1.
  tanh,
  erf,
  erfc,
  erfinv,
  sigmoid,
  isnan: (a) => b01(Number.isNaN(a)),
  isinf: (a) => b01(a === Number.POSITIVE_INFINITY || a === Number.NEGATIVE_INFINITY),
  // C++ bool(NaN) is true, so not(NaN) is false.
  logicalNot: (a) => b01(a === 0),
  bitsToUnitFloat: (a) => Math.fround(a) * TWO_POW_M32,
};

const FLOAT_BINARY: Record<BinaryOp, Fn2> = {
  add: (a, b) => a + b,
  subtract: (a, b) => a - b,
  multiply: (a, b) => a * b,
  divide: (a, b) => a / b,
  power: powFloat,
  // Math.max/min propagate NaN from either side, as MLX's maximum/minimum do.
  maximum: Math.max,
  minimum: Math.min,
  logaddexp,
  greater: (a, b) => b01(a > b),
  greaterEqual: (a, b) => b01(a >= b),
  less: (a, b) => b01(a < b),
  lessEqual: (a, b) => b01(a <= b),
  equal: (a, b) => b01(a === b),
  notEqual: (a, b) => b01(a !== b),
};

/** Integer domains override the arithmetic that must wrap; everything else is shared. */
const INT32_UNARY: Partial<Record<UnaryOp, Fn1>> = {
  negative: (a) => -a | 0,
  abs: (a) => Math.abs(a) | 0,
  square: (a) => Math.imul(a, a),
};
const INT32_BINARY: Partial<Record<BinaryOp, Fn2>> = {
  add: (a, b) => (a + b) | 0,
  subtract: (a, b) => (a - b) | 0,
  multiply: Math.imul,
  power: powInt32,
};
const UINT32_UNARY: Partial<Record<UnaryOp, Fn1>> = {
  negative: (a) => -a >>> 0,
  abs: (a) => a,
  sign: (a) => b01(a > 0),
  square: (a) => Math.imul(a, a) >>> 0,
};
const UINT32_BINARY: Partial<Record<BinaryOp, Fn2>> = {
  add: (a, b) => (a + b) >>> 0,
  subtract: (a, b) => (a - b) >>> 0,
  multiply: (a, b) => Math.imul(a, b) >>> 0,
  power: (a, b) => powInt32(a, b) >>> 0,
};
/** bool arithmetic is logical, as a C++ bool result: + is or, * is and. */
const BOOL_UNARY: Partial<Record<UnaryOp, Fn1>> = {
  abs: (a) => a,
  square: (a) => a,
};
const BOOL_BINARY: Partial<Record<BinaryOp, Fn2>> = {
  add: (a, b) => b01(a !== 0 || b !== 0),
  multiply: (a, b) => b01(a !== 0 && b !== 0),
  maximum: (a, b) => b01(a !== 0 || b !== 0),
  minimum: (a, b) => b01(a !== 0 && b !== 0),
  power: (a, b) => b01(a !== 0 || b === 0),
};

const UNARY_OVERRIDES: Record<Domain, Partial<Record<UnaryOp, Fn1>>> = {
  float: {},
  int32: INT32_UNARY,
  uint32: UINT32_UNARY,
  bool: BOOL_UNARY,
};
const BINARY_OVERRIDES: Record<Domain, Partial<Record<BinaryOp, Fn2>>> = {
  float: {},
  int32: INT32_BINARY,
  uint32: UINT32_BINARY,
  bool: BOOL_BINARY,
};

/** The function computing unary `op` for a node of `dtype`. */
export function unaryFn(op: UnaryOp, dtype: DType): Fn1 {
  return UNARY_OVERRIDES[domainOf(dtype)][op] ?? FLOAT_UNARY[op];
}

/** The function computing binary `op` for a node of `dtype`. */
export function binaryFn(op: BinaryOp, dtype: DType): Fn2 {
  return BINARY_OVERRIDES[domainOf(dtype)][op] ?? FLOAT_BINARY[op];
}

/** An explicit cast: the value `v` takes in `dtype` (rounds floats once, wraps integers). */
export function castFn(dtype: DType): Fn1 {
  switch (dtype) {
    case "float32":
      return Math.fround;
    case "float16":
      return roundToFloat16;
    case "bfloat16":
      return roundToBfloat16;
    case "int32":
      return (v) => v | 0;
    case "uint32":
      return (v) => v >>> 0;
    case "bool":
      return (v) => b01(v !== 0);
  }
}

/** A select, with C++ truthiness (NaN counts as true). */
export function select(c: number, a: number, b: number): number {
  return c !== 0 ? a : b;
}
