import { MxArray } from "../array/array.js";
import { checkDType, type DType, isFloating } from "../dtype/dtype.js";
import { describeValue, NnkitError } from "../errors.js";
import { astype } from "../ops/cast.js";
import { add, erfinv, minimum, multiply, subtract, unaryOp } from "../ops/elementwise.js";
import { type ArrayInput, fromHost } from "../ops/input.js";
import { reshape, slice } from "../ops/shape-ops.js";
import { broadcastShapesFor } from "../shape/broadcast.js";
import { checkShape, formatShape, shapesEqual } from "../shape/shape.js";
import { randomBits } from "./threefry.js";

/**
 * MLX's random numbers: counter-based threefry2x32 keys. A key is a uint32 array of shape (2);
 * the same key always gives the same numbers on every backend. Without a key, samplers draw a
 * fresh one from a global state that `seed()` resets. Bits, `split` and `uniform` reproduce
 * MLX's values exactly; `normal` uses a float64 erfinv, so it can differ from MLX's float32
 * polynomial in the last bit.
 */

const TWO_POW_32 = 4294967296;

function keyWords(fn: string, seedValue: number): [number, number] {
  if (!Number.isSafeInteger(seedValue) || seedValue < 0) {
    throw new NnkitError(
      fn,
      `seed must be a non-negative safe integer; got ${describeValue(seedValue)}`,
    );
  }
  return [Math.floor(seedValue / TWO_POW_32) >>> 0, seedValue >>> 0];
}

let state: [number, number] = keyWords("seed", Date.now());

/** Resets the global random state, as `mx.random.seed`. */
export function seed(value: number): void {
  state = keyWords("seed", value);
}

/** `key(seed)`: a PRNG key, uint32 [seed >> 32, seed & 0xffffffff] as in MLX. */
export function key(seedValue: number): MxArray {
  return fromHost([2], "uint32", keyWords("key", seedValue));
}

/** Splits the global state as MLX does: keep the first subkey, hand out the second. */
function nextKey(): MxArray {
  const words = randomBits(state, 4);
  state = [words[0] as number, words[1] as number];
  return fromHost([2], "uint32", [words[2] as number, words[3] as number]);
}

function checkKey(fn: string, k: MxArray | undefined): MxArray {
  if (k === undefined) return nextKey();
  if (!(k instanceof MxArray) || k.dtype !== "uint32" || !shapesEqual(k.shape, [2])) {
    throw new NnkitError(
      fn,
      `key must be a uint32 array of shape (2,) from random.key() or random.split(); got ${k instanceof MxArray ? `${k.dtype} ${formatShape(k.shape)}` : describeValue(k)}`,
    );
  }
  k._checkLive(fn, "key");
  return k;
}

/** `bits(shape, key?)`: uniformly random uint32 words. */
export function bits(shape: readonly number[] = [], key?: MxArray): MxArray {
  const s = checkShape("bits", "shape", shape);
  const k = checkKey("bits", key);
  return new MxArray(s, "uint32", k.device, {
    node: { prim: { kind: "randomBits" }, inputs: [k] },
  });
}

/** `split(key, num = 2)`: `num` new keys as rows of a (num, 2) uint32 array. */
export function split(key: MxArray, num = 2): MxArray {
  const k = checkKey("split", key);
  if (!Number.isInteger(num) || num < 1) {
    throw new NnkitError("split", `num must be a positive integer; got ${describeValue(num)}`);
  }
  return bits([num, 2], k);
}

/** Row `i` of a (num, 2) array of keys from `split`, as a key of shape (2,). */
export function keyAt(keys: MxArray, i: number): MxArray {
  if (
    keys.ndim !== 2 ||
    keys.shape[1] !== 2 ||
    !Number.isInteger(i) ||
    i < 0 ||
    i >= (keys.shape[0] as number)
  ) {
    throw new NnkitError(
      "keyAt",
      `expected a (num, 2) key array and 0 <= i < num; got ${formatShape(keys.shape)} and ${describeValue(i)}`,
    );
  }
  return reshape(slice(keys, [i, 0], [1, 2]), [2]);
}

/** Largest value below 1 in each float dtype: uniform samples are clamped to it, as MLX does. */
const BELOW_ONE: Record<string, number> = {
  float32: 1 - 2 ** -24,
  float16: 1 - 2 ** -11,
  bfloat16: 1 - 2 ** -8,
};

function checkFloatDType(fn: string, dtype: DType): DType {
  checkDType(fn, "dtype", dtype);
  if (!isFloating(dtype)) throw new NnkitError(fn, `dtype must be a floating type; got ${dtype}`);
  return dtype;
}

/**
 * `uniform(low = 0, high = 1, shape = [], dtype = "float32", key?)`: samples in [low, high).
 * Each step rounds to `dtype` as MLX's ops do, so values match MLX bit for bit.
 */
export function uniform(
  low: ArrayInput = 0,
  high: ArrayInput = 1,
  shape: readonly number[] = [],
  dtype: DType = "float32",
  key?: MxArray,
): MxArray {
  const fn = "uniform";
  checkFloatDType(fn, dtype);
  const s = checkShape(fn, "shape", shape);
  if (key !== undefined) checkKey(fn, key); // name uniform, not bits, in the error
  const lo = astype(low, dtype);
  const range = astype(subtract(astype(high, dtype), lo), dtype);
  if (!shapesEqual(broadcastShapesFor(fn, s, range.shape), s)) {
    throw new NnkitError(
      fn,
      `low and high of shape ${formatShape(range.shape)} do not broadcast to shape ${formatShape(s)}`,
    );
  }
  const unit = minimum(unaryOp(fn, "bitsToUnitFloat", bits(s, key)), BELOW_ONE[dtype] as number);
  return astype(add(astype(multiply(range, astype(unit, dtype)), dtype), lo), dtype);
}

/**
 * `normal(shape = [], dtype = "float32", loc = 0, scale = 1, key?)`: Gaussian samples,
 * `loc + scale·√2·erfinv(u)` with u uniform in (-1, 1) as in MLX.
 */
export function normal(
  shape: readonly number[] = [],
  dtype: DType = "float32",
  loc: ArrayInput = 0,
  scale: ArrayInput = 1,
  key?: MxArray,
): MxArray {
  const fn = "normal";
  checkFloatDType(fn, dtype);
  const s = checkShape(fn, "shape", shape);
  if (key !== undefined) checkKey(fn, key); // name normal, not bits, in the error
  const u = uniform(-(1 - 2 ** -24), 1, s, "float32", key);
  let x = multiply(erfinv(u), Math.SQRT2);
  if (scale !== 1) x = multiply(x, scale);
  if (loc !== 0) x = add(x, loc);
  return astype(x, dtype);
}
