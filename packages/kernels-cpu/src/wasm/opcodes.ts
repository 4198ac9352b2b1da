/**
 * The WebAssembly opcodes the SIMD kernels use (core spec 2.0 + fixed-width SIMD). Plain
 * opcodes are one byte; SIMD opcodes follow the 0xfd prefix as an unsigned LEB128.
 */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  brTable: 0x0e,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  i32Const: 0x41,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32WrapI64: 0xa7,
} as const;

/** Block type "no result". */
export const VOID_BLOCK = 0x40;

export const ValType = { i32: 0x7f, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Prefix of every SIMD instruction. */
export const SIMD_PREFIX = 0xfd;

export const Simd = {
  v128Load: 0,
  v128Store: 11,
  v128Const: 12,
  i8x16Shuffle: 13,
  f64x2Splat: 20,
  i64x2ExtractLane: 29,
  f64x2ExtractLane: 33,
  f64x2ReplaceLane: 34,
  f64x2Eq: 71,
  f64x2Ne: 72,
  f64x2Lt: 73,
  f64x2Gt: 74,
  f64x2Le: 75,
  f64x2Ge: 76,
  v128Not: 77,
  v128And: 78,
  v128Andnot: 79,
  v128Or: 80,
  v128Xor: 81,
  v128Bitselect: 82,
  v128AnyTrue: 83,
  f32x4DemoteF64x2Zero: 94,
  f64x2PromoteLowF32x4: 95,
  f64x2Ceil: 116,
  f64x2Trunc: 122,
  i64x2ExtendLowI32x4S: 199,
  i64x2Shl: 203,
  i64x2ShrS: 204,
  i64x2ShrU: 205,
  i64x2Add: 206,
  i64x2Sub: 209,
  i64x2Eq: 214,
  i64x2LtS: 216,
  i64x2GtS: 217,
  f64x2Abs: 236,
  f64x2Neg: 237,
  f64x2Sqrt: 239,
  f64x2Add: 240,
  f64x2Sub: 241,
  f64x2Mul: 242,
  /** Relaxed SIMD: a·b + c, fused or not (see relaxed-simd.ts). */
  f64x2RelaxedMadd: 0x107,
  f64x2Div: 243,
  f64x2Min: 244,
  f64x2Max: 245,
  f64x2Pmin: 246,
  f64x2Pmax: 247,
  i32x4TruncSatF64x2SZero: 252,
  f64x2ConvertLowI32x4S: 254,
} as const;

/**
 * float32 lane operations, for kernels whose every node float32 arithmetic gives exactly what
 * the float64 evaluation rounds to (see `f32-exact.ts`).
 */
export const SimdF32 = {
  f32x4Splat: 19,
  i32x4TruncSatF32x4S: 248,
  f32x4Eq: 65,
  f32x4Ne: 66,
  f32x4Lt: 67,
  f32x4Gt: 68,
  f32x4Le: 69,
  f32x4Ge: 70,
  f32x4Abs: 224,
  f32x4Neg: 225,
  f32x4Sqrt: 227,
  f32x4Add: 228,
  f32x4Sub: 229,
  f32x4Mul: 230,
  f32x4Div: 231,
  f32x4Min: 232,
  f32x4Max: 233,
  f32x4Pmin: 234,
  f32x4Pmax: 235,
} as const;

/** f32.demote_f64: a float64 scalar argument rounded to float32 (exact where the plan allows). */
export const F32_DEMOTE_F64 = 0xb6;

/**
 * Scalar and lane opcodes of the row kernels (softmax, the kernels' row loop): loops, row
 * addressing and tails.
 */
export const RowOp = {
  else: 0x05,
  drop: 0x1a,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32LtU: 0x49,
  f32Eq: 0x5b,
  f32Ne: 0x5c,
  f32Abs: 0x8b,
  f32Neg: 0x8c,
  f32Max: 0x97,
  f64Add: 0xa0,
  f64Div: 0xa3,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivU: 0x6e,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  f64ConvertI32S: 0xb7,
  f64PromoteF32: 0xbb,
} as const;

export const RowSimd = {
  i32x4Splat: 17,
  f32x4ExtractLane: 31,
  i32x4LtS: 57,
  v128Store32Lane: 90,
  i32x4Add: 174,
} as const;
