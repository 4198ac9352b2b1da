/**
 * The binary floating-point formats the suite checks results in, described by their
 * parameters only. Everything in `reference/` derives from these numbers with exact
 * arithmetic, independently of how @nnkit/core encodes or rounds.
 */
export interface FloatFormat {
  readonly name: "float32" | "float16" | "bfloat16";
  /** Significand bits, the implicit leading bit included. */
  readonly precision: number;
  /** Exponent of the smallest normal value. */
  readonly minExponent: number;
  /** Exponent of the largest finite value. */
  readonly maxExponent: number;
  /** Bits in the exponent field. */
  readonly exponentBits: number;
}

export const FLOAT32: FloatFormat = {
  name: "float32",
  precision: 24,
  minExponent: -126,
  maxExponent: 127,
  exponentBits: 8,
};

export const FLOAT16: FloatFormat = {
  name: "float16",
  precision: 11,
  minExponent: -14,
  maxExponent: 15,
  exponentBits: 5,
};

export const BFLOAT16: FloatFormat = {
  name: "bfloat16",
  precision: 8,
  minExponent: -126,
  maxExponent: 127,
  exponentBits: 8,
};

export const FORMATS = { float32: FLOAT32, float16: FLOAT16, bfloat16: BFLOAT16 } as const;

/** Total bits of an encoding (sign + exponent + stored significand). */
export function bitWidth(f: FloatFormat): number {
  return 1 + f.exponentBits + f.precision - 1;
}

/** The smallest positive (subnormal) value. */
export function minSubnormal(f: FloatFormat): number {
  return 2 ** (f.minExponent - f.precision + 1);
}

/** The smallest positive normal value. */
export function minNormal(f: FloatFormat): number {
  return 2 ** f.minExponent;
}

/** The largest finite value. */
export function maxFinite(f: FloatFormat): number {
  return (2 ** f.precision - 1) * 2 ** (f.maxExponent - f.precision + 1);
}
