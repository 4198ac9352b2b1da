// Users: arrays, ops, random, evaluation and the registry.
export { MxArray as Array, type NestedList } from "./array/array.js";
// Backend authors: the interface to implement and the pieces every backend shares.
export type { Backend, BackendFactory, DeviceBuffer, StridedView } from "./backend/backend.js";
export {
  type BackendInfo,
  getBackend,
  getDefaultDevice,
  initBackends,
  listBackends,
  registerBackend,
  setDefaultDevice,
} from "./backend/registry.js";
export {
  allocateStorage,
  DTYPES,
  type DType,
  isFloating,
  isInteger,
  itemSize,
  type StorageArray,
  type StorageArrayMap,
} from "./dtype/dtype.js";
export {
  bfloat16BitsToNumber,
  decodeBfloat16,
  decodeFloat16,
  encodeBfloat16,
  encodeFloat16,
  float16BitsToNumber,
  float64ToBfloat16Bits,
  float64ToFloat16Bits,
} from "./dtype/half.js";
export { atLeastFloat, promoteTypes } from "./dtype/promotion.js";
export { NnkitError } from "./errors.js";
export { evaluate } from "./eval/evaluate.js";
export type { ExprNode, FusedExpr } from "./expr/expression.js";
export {
  BINARY_OPS,
  type BinaryOp,
  REDUCE_OPS,
  type ReduceOp,
  SOFTMAX_VARIANTS,
  type SoftmaxVariant,
  UNARY_OPS,
  type UnaryOp,
} from "./expr/ops.js";
export { astype, stopGradient } from "./ops/cast.js";
export { arange, full, linspace, ones, zeros } from "./ops/create.js";
export {
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
  negative,
  notEqual,
  power,
  sigmoid,
  sign,
  sqrt,
  square,
  subtract,
  tanh,
  where,
} from "./ops/elementwise.js";
export { type ArrayInput, array, type NestedArray, type TypedArrayInput } from "./ops/input.js";
export { type AxisArg, logsumexp, max, mean, min, sum } from "./ops/reduce.js";
export {
  broadcastTo,
  concatenate,
  expandDims,
  reshape,
  split,
  squeeze,
  transpose,
} from "./ops/shape-ops.js";
export { logSoftmax, softmax, softmin } from "./ops/softmax.js";
export { type FormatOptions, formatArray, type PrintDType } from "./print/index.js";
export * as random from "./random/index.js";
export {
  type BitsArray,
  type RandomBitsWidth,
  randomBits,
  threefry2x32,
} from "./random/threefry.js";
export { broadcastShapes } from "./shape/broadcast.js";
export { contiguousStrides, type Shape, shapeSize } from "./shape/shape.js";
export { getStats, type Stats } from "./stats.js";
