/**
 * The WebAssembly opcodes the SIMD kernels use (core spec 2.0 + fixed-width SIMD). Plain
 * opcodes are one byte; SIMD opcodes follow the 0xfd prefix as an unsigned LEB128.
 */
export const Op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  f64Const: 0x44,
  i32GeU: 0x4f,
  i32Add: 0x6a,
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
  f64x2Eq: 71,
  f64x2Ne: 72,
  f64x2Lt: 73,
  f64x2Gt: 74,
  f64x2Le: 75,
  f64x2Ge: 76,
  v128And: 78,
  v128Or: 80,
  v128Bitselect: 82,
  f32x4DemoteF64x2Zero: 94,
  f64x2PromoteLowF32x4: 95,
  f64x2Abs: 236,
  f64x2Neg: 237,
  f64x2Sqrt: 239,
  f64x2Add: 240,
  f64x2Sub: 241,
  f64x2Mul: 242,
  f64x2Div: 243,
  f64x2Min: 244,
  f64x2Max: 245,
} as const;
