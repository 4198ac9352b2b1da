import {
  type ArrayInput,
  abs,
  add,
  divide,
  equal,
  erf,
  erfc,
  erfinv,
  exp,
  expm1,
  greater,
  greaterEqual,
  isinf,
  isnan,
  less,
  lessEqual,
  log,
  log1p,
  logaddexp,
  logicalNot,
  maximum,
  minimum,
  multiply,
  type Array as NdArray,
  negative,
  notEqual,
  power,
  sigmoid,
  sign,
  sqrt,
  square,
  subtract,
  tanh,
} from "@nnkit/core";

/** The public functions of core's elementwise primitives, by primitive name. */
export const UNARY_FNS = {
  negative,
  abs,
  sign,
  square,
  sqrt,
  exp,
  expm1,
  log,
  log1p,
  tanh,
  erf,
  erfc,
  erfinv,
  sigmoid,
  isnan,
  isinf,
  logicalNot,
} satisfies Record<string, (x: ArrayInput) => NdArray>;

export const BINARY_FNS = {
  add,
  subtract,
  multiply,
  divide,
  power,
  maximum,
  minimum,
  logaddexp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  equal,
  notEqual,
} satisfies Record<string, (a: ArrayInput, b: ArrayInput) => NdArray>;

export type UnaryName = keyof typeof UNARY_FNS;
export type BinaryName = keyof typeof BINARY_FNS;

/**
 * Primitives with no public function of their own: `bitsToUnitFloat` is reached only through
 * `random.uniform`, which the structure suite covers.
 */
export const INTERNAL_PRIMITIVES: readonly string[] = ["bitsToUnitFloat"];

/** Unary ops whose exact value needs the mpmath fixture (float64 evaluation is not exact). */
export const FIXTURE_UNARY = [
  "exp",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "erf",
  "erfc",
  "erfinv",
  "sigmoid",
] as const satisfies readonly UnaryName[];

export const FIXTURE_BINARY = ["logaddexp", "power"] as const satisfies readonly BinaryName[];

export const COMPARISONS = [
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "equal",
  "notEqual",
] as const satisfies readonly BinaryName[];

/** The IEEE meaning of each comparison, for references. */
export const COMPARE: Record<(typeof COMPARISONS)[number], (a: number, b: number) => boolean> = {
  greater: (a, b) => a > b,
  greaterEqual: (a, b) => a >= b,
  less: (a, b) => a < b,
  lessEqual: (a, b) => a <= b,
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
};
