/**
 * The catalogue of elementwise primitives. Every backend implements each of these once;
 * activations are built from them in nn-functions and reach backends only as fused
 * expressions over this vocabulary.
 */
export const UNARY_OPS = [
  "negative",
  "abs",
  "sign",
  "square",
  "sqrt",
  "exp",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "erf",
  "erfc",
  "erfinv",
  "sigmoid",
  "isnan",
  "isinf",
  "logicalNot",
  /** uint32 random bits b → float32(b) / 2^32, exact in float32 (MLX's uniform divides by UINT32_MAX, which rounds to 2^32). */
  "bitsToUnitFloat",
] as const;

export const BINARY_OPS = [
  "add",
  "subtract",
  "multiply",
  "divide",
  "power",
  "maximum",
  "minimum",
  "logaddexp",
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "equal",
  "notEqual",
] as const;

export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set([
  "greater",
  "greaterEqual",
  "less",
  "lessEqual",
  "equal",
  "notEqual",
]);

export const REDUCE_OPS = ["sum", "mean", "max", "min", "logsumexp"] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * The row normalisers one softmax kernel computes, with m = max(x) over the row:
 * "softmax" exp(x − m) / Σ exp(x − m); "logSoftmax" (x − m) − log Σ exp(x − m); "softmin"
 * softmax(−x), the input negated as it is read (negation is exact, so the bits are those of
 * softmax of a negated copy, without the copy).
 */
export const SOFTMAX_VARIANTS = ["softmax", "logSoftmax", "softmin"] as const;
export type SoftmaxVariant = (typeof SOFTMAX_VARIANTS)[number];
