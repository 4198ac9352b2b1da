/**
 * Scalar reference for MLX's random API (mlx/random.cpp), built on `randomBits`.
 *
 * These mirror MLX's float32 operation order one IEEE operation at a time, so an array-op
 * implementation in core can be checked against them element for element. They are not meant to
 * be fast.
 */

import { randomBits } from "../../src/random/threefry.js";

const TWO_POW_32 = 4294967296;

/** `float(UINT32_MAX)`: 2^32 - 1 rounds to 2^32 in float32, so MLX divides by exactly 2^32. */
export const MLX_UINT32_MAX_AS_FLOAT32 = Math.fround(4294967295);

/** `std::nextafter(1.0f, 0.0f)` = 1 - 2^-24, the clamp MLX applies to float32 uniforms. */
export const FLOAT32_BELOW_ONE = Math.fround(1 - 2 ** -24);

/** `std::nextafter(-1.0f, 0.0f)` = -(1 - 2^-24), the low bound of MLX's normal sampler. */
export const FLOAT32_ABOVE_MINUS_ONE = -FLOAT32_BELOW_ONE;

/** `array(std::sqrt(2.0), float32)`. */
export const FLOAT32_SQRT2 = Math.fround(Math.SQRT2);

/**
 * `mx.random.key(seed)`: the uint64 seed split into `[seed >> 32, seed & 0xffffffff]`
 * (high word first). Numbers must be non-negative safe integers; bigints are taken modulo 2^64.
 */
export function mlxKey(seed: number | bigint): Uint32Array {
  let s: bigint;
  if (typeof seed === "bigint") {
    s = BigInt.asUintN(64, seed);
  } else {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`mlxKey: seed must be a non-negative safe integer, got ${seed}`);
    }
    s = BigInt(seed);
  }
  return Uint32Array.of(Number(s >> 32n), Number(s & 0xffffffffn));
}

/**
 * `mx.random.split(key, num)`: `bits([num, 2], 4, key)`, i.e. the first `2 * num` words of the
 * key's bit stream, row `i` being sub key `i`. Returned flat (shape `[num, 2]`).
 */
export function mlxSplit(key: ArrayLike<number>, num = 2): Uint32Array {
  if (!Number.isSafeInteger(num) || num < 0) {
    throw new RangeError(`mlxSplit: num must be a non-negative integer, got ${num}`);
  }
  return randomBits(key, 2 * num);
}

/**
 * MLX's global key sequence (`KeySequence` in C++, `PyKeySequence` in Python): `next()` splits
 * the state in two, keeps row 0 as the new state and hands out row 1.
 */
export class MlxKeySequence {
  #key: Uint32Array;

  constructor(seed: number | bigint) {
    this.#key = mlxKey(seed);
  }

  seed(seed: number | bigint): void {
    this.#key = mlxKey(seed);
  }

  /** The current state key (a copy). */
  get state(): Uint32Array {
    return this.#key.slice();
  }

  next(): Uint32Array {
    const both = mlxSplit(this.#key, 2);
    this.#key = both.slice(0, 2);
    return both.slice(2, 4);
  }
}

// ---- float32 helpers -------------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function nextFloat32Toward(x: number, up: boolean): number {
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  f32[0] = x;
  const positive = x > 0;
  u32[0] = (u32[0] as number) + (positive === up ? 1 : -1);
  return f32[0] as number;
}

/**
 * Correctly rounded float32 fused multiply-add `a * b + c` for float32 inputs (`std::fma` on
 * floats): the product is exact in float64, the sum's float64 rounding error is recovered with
 * TwoSum and used to break the one case double rounding gets wrong (a float64 sum that lands
 * exactly on a float32 midpoint).
 */
export function fmaFloat32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  const r = Math.fround(s);
  if (err === 0 || r === s) return r;
  const other = nextFloat32Toward(r, s > r);
  if (s - r !== other - s) return r;
  // s sits exactly between r and other; the exact value lies on the side of err.
  const hi = Math.max(r, other);
  const lo = Math.min(r, other);
  return err > 0 ? hi : lo;
}

/**
 * MLX's float32 `erfinv` (mlx/backend/cpu/simd/math.h, same polynomials as the Metal kernel in
 * mlx/backend/metal/kernels/erf.h): `t = log(fma(a, -a, 1))`, then one of two degree-8/9
 * polynomials in `t` chosen by `|t| > 6.125`, times `a`. `log` is float32 `std::log`, emulated by
 * rounding the float64 log (agrees with a correctly rounded `logf`, except in rare near-tie cases).
 */
export function erfinvFloat32(x: number): number {
  const a = Math.fround(x);
  let t = fmaFloat32(a, -a, 1);
  t = Math.fround(Math.log(t));
  let p: number;
  if (Math.abs(t) > 6.125) {
    p = Math.fround(3.03697567e-10);
    p = fmaFloat32(p, t, Math.fround(2.93243101e-8));
    p = fmaFloat32(p, t, Math.fround(1.22150334e-6));
    p = fmaFloat32(p, t, Math.fround(2.84108955e-5));
    p = fmaFloat32(p, t, Math.fround(3.93552968e-4));
    p = fmaFloat32(p, t, Math.fround(3.02698812e-3));
    p = fmaFloat32(p, t, Math.fround(4.83185798e-3));
    p = fmaFloat32(p, t, Math.fround(-2.64646143e-1));
    p = fmaFloat32(p, t, Math.fround(8.40016484e-1));
  } else {
    p = Math.fround(5.43877832e-9);
    p = fmaFloat32(p, t, Math.fround(1.43285448e-7));
    p = fmaFloat32(p, t, Math.fround(1.22774793e-6));
    p = fmaFloat32(p, t, Math.fround(1.12963626e-7));
    p = fmaFloat32(p, t, Math.fround(-5.6153076e-5));
    p = fmaFloat32(p, t, Math.fround(-1.47697632e-4));
    p = fmaFloat32(p, t, Math.fround(2.31468678e-3));
    p = fmaFloat32(p, t, Math.fround(1.15392581e-2));
    p = fmaFloat32(p, t, Math.fround(-2.32015476e-1));
    p = fmaFloat32(p, t, Math.fround(8.86226892e-1));
  }
  return Math.fround(a * p);
}

/**
 * `mx.random.uniform(low, high, shape, float32, key)` applied to precomputed bits
 * (`randomBits(key, prod(shape))`), with scalar `low`/`high`:
 *   lo = f32(low); hi = f32(high); range = f32(hi - lo)
 *   u  = min(f32(bits) / f32(UINT32_MAX) [= 2^32], nextafter(1f, 0f))
 *   out = f32(f32(range * u) + lo)
 */
export function uniformFloat32FromBits(bits: Uint32Array, low = 0, high = 1): Float32Array {
  const lo = Math.fround(low);
  const hi = Math.fround(high);
  const range = Math.fround(hi - lo);
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    // f32(bits) / 2^32 is exact: dividing by a power of two only changes the exponent.
    const u = Math.min(Math.fround(bits[i] as number) / TWO_POW_32, FLOAT32_BELOW_ONE);
    out[i] = Math.fround(Math.fround(range * u) + lo);
  }
  return out;
}

/**
 * `mx.random.normal(shape, float32, key=key)` (loc 0, scale 1) applied to precomputed bits:
 * `sqrt2_f32 * erfinv(uniform(nextafter(-1f, 0f), 1f))`, every step in float32. With `loc` /
 * `scale` MLX computes `applied = f32(sqrt2 * scale)`, `x = f32(applied * erfinv(u))`, then
 * `f32(loc + x)`; pass them here to reproduce that order (scale 1 / loc 0 are skipped by MLX).
 */
export function normalFloat32FromBits(bits: Uint32Array, loc = 0, scale = 1): Float32Array {
  const u = uniformFloat32FromBits(bits, FLOAT32_ABOVE_MINUS_ONE, 1);
  const applied = scale === 1 ? FLOAT32_SQRT2 : Math.fround(FLOAT32_SQRT2 * Math.fround(scale));
  const l = Math.fround(loc);
  const out = new Float32Array(u.length);
  for (let i = 0; i < u.length; i++) {
    const x = Math.fround(applied * erfinvFloat32(u[i] as number));
    out[i] = loc === 0 ? x : Math.fround(l + x);
  }
  return out;
}
