/**
 * Threefry-2x32 counter-based hashing and MLX-compatible random bit generation.
 *
 * Threefry-2x32 (Salmon et al., "Parallel Random Numbers: As Easy as 1, 2, 3", SC'11) maps a
 * 64-bit key and a 64-bit counter to 64 pseudo-random bits. MLX (like JAX) uses the 20-round
 * variant as the only source of randomness: `mx.random.bits` hashes a small set of counters with
 * the key, and every other sampler (`split`, `uniform`, `normal`, ...) is built on top of `bits`.
 *
 * All arithmetic here is on unsigned 32-bit words held in JS numbers: additions are reduced with
 * `>>> 0` and rotations use `<<`/`>>>`, which JS defines on 32-bit integers.
 */

/** Rotation distances for Threefry-2x32, round `r` uses `THREEFRY_ROTATIONS[r % 8]`. */
export const THREEFRY_ROTATIONS: readonly number[] = Object.freeze([13, 15, 26, 6, 17, 29, 16, 24]);

/** Key-schedule parity constant for 32-bit Threefry (SKEIN_KS_PARITY32). */
export const THREEFRY_PARITY_32 = 0x1bd11bda;

/** The number of rounds MLX and JAX use. */
export const THREEFRY_DEFAULT_ROUNDS = 20;

// Output registers of the last `hashInto` call. Module-level scratch avoids allocating a tuple per
// hashed counter in the hot loops below; the functions here are synchronous, so this is safe.
let out0 = 0;
let out1 = 0;

/**
 * Threefry-2x32 with `rounds` rounds; writes the result into `out0`/`out1`.
 *
 * The key is injected before the first round and after every fourth round; injection number `s`
 * adds `ks[s % 3]` to word 0 and `ks[(s + 1) % 3] + s` to word 1, where
 * `ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA]`. This is Random123's `threefry2x32_R` and matches MLX's
 * `threefry2x32_hash` (five groups of four rounds) for `rounds = 20`.
 */
function hashInto(k0: number, k1: number, c0: number, c1: number, rounds: number): void {
  const ks2 = (k0 ^ k1 ^ THREEFRY_PARITY_32) >>> 0;
  let x0 = (c0 + k0) >>> 0;
  let x1 = (c1 + k1) >>> 0;
  for (let r = 0; r < rounds; r++) {
    const rot = THREEFRY_ROTATIONS[r & 7] as number;
    x0 = (x0 + x1) >>> 0;
    x1 = ((x1 << rot) | (x1 >>> (32 - rot))) ^ x0;
    x1 >>>= 0;
    if ((r & 3) === 3) {
      const s = (r + 1) >>> 2;
      const m = s % 3;
      const ka = m === 0 ? k0 : m === 1 ? k1 : ks2;
      const kb = m === 0 ? k1 : m === 1 ? ks2 : k0;
      x0 = (x0 + ka) >>> 0;
      x1 = (x1 + kb + s) >>> 0;
    }
  }
  out0 = x0;
  out1 = x1;
}

/** Specialised 20-round hash (the MLX one); same result as `hashInto(..., 20)`. */
function hash20Into(k0: number, k1: number, c0: number, c1: number): void {
  const k2 = (k0 ^ k1 ^ THREEFRY_PARITY_32) >>> 0;
  let x0 = (c0 + k0) >>> 0;
  let x1 = (c1 + k1) >>> 0;
  // Injection keys for s = 1..5: (ks[s % 3], ks[(s + 1) % 3] + s).
  for (let s = 1; s <= 5; s++) {
    // Groups 1, 3, 5 use rotations 13, 15, 26, 6; groups 2 and 4 use 17, 29, 16, 24.
    const second = (s & 1) === 0;
    const ra = second ? 17 : 13;
    const rb = second ? 29 : 15;
    const rc = second ? 16 : 26;
    const rd = second ? 24 : 6;
    x0 = (x0 + x1) >>> 0;
    x1 = (((x1 << ra) | (x1 >>> (32 - ra))) ^ x0) >>> 0;
    x0 = (x0 + x1) >>> 0;
    x1 = (((x1 << rb) | (x1 >>> (32 - rb))) ^ x0) >>> 0;
    x0 = (x0 + x1) >>> 0;
    x1 = (((x1 << rc) | (x1 >>> (32 - rc))) ^ x0) >>> 0;
    x0 = (x0 + x1) >>> 0;
    x1 = (((x1 << rd) | (x1 >>> (32 - rd))) ^ x0) >>> 0;
    const m = s % 3;
    const ka = m === 0 ? k0 : m === 1 ? k1 : k2;
    const kb = m === 0 ? k1 : m === 1 ? k2 : k0;
    x0 = (x0 + ka) >>> 0;
    x1 = (x1 + kb + s) >>> 0;
  }
  out0 = x0;
  out1 = x1;
}

function checkRounds(rounds: number): void {
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 64) {
    throw new RangeError(`threefry2x32: rounds must be an integer in [0, 64], got ${rounds}`);
  }
}

/**
 * Threefry-2x32 block function: hashes `counter` (two uint32 words) under `key` (two uint32
 * words). Word order follows Random123 and MLX: `key[0]`/`counter[0]` are the first words
 * (`key.first`/`count.first` in MLX). Returns `[x0, x1]` as unsigned 32-bit numbers.
 */
export function threefry2x32(
  key: ArrayLike<number>,
  counter: ArrayLike<number>,
  rounds: number = THREEFRY_DEFAULT_ROUNDS,
): [number, number] {
  checkRounds(rounds);
  const k0 = (key[0] ?? 0) >>> 0;
  const k1 = (key[1] ?? 0) >>> 0;
  const c0 = (counter[0] ?? 0) >>> 0;
  const c1 = (counter[1] ?? 0) >>> 0;
  if (rounds === 20) hash20Into(k0, k1, c0, c1);
  else hashInto(k0, k1, c0, c1, rounds);
  return [out0, out1];
}

/** Byte widths MLX's `RandomBits` supports: uint8, uint16 and uint32 output. */
export type RandomBitsWidth = 1 | 2 | 4;

export type BitsArray<W extends RandomBitsWidth> = W extends 4
  ? Uint32Array
  : W extends 2
    ? Uint16Array
    : Uint8Array;

function checkKey(key: ArrayLike<number>, what: string): void {
  if (key.length !== 2) {
    throw new RangeError(`${what}: expected a key of 2 uint32 words, got length ${key.length}`);
  }
}

function checkCount(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${what}: count must be a non-negative integer, got ${count}`);
  }
}

function checkWidth(width: number, what: string): asserts width is RandomBitsWidth {
  if (width !== 1 && width !== 2 && width !== 4) {
    throw new RangeError(`${what}: bit width must be in {1, 2, 4} but got ${width}`);
  }
}

/**
 * Fills `words` (length `n`) with MLX's word stream for one key.
 *
 * MLX's `RandomBits::eval_cpu` (and the Metal `rbits` kernel) treat a key's output block as
 * `n = ceil(bytes / 4)` uint32 words, with `half = floor(n / 2)` and `odd = n % 2`:
 *   - for `i` in `[0, half)`: `(w[i], w[i + half + odd]) = threefry(key, (i, i + half + odd))`
 *   - if `odd`: `w[half] = threefry(key, (half, 0))[0]` (the second word is dropped).
 * This is also JAX's `threefry_random_bits` layout (iota counters, padded to even, split in
 * halves), which is where MLX's test expectations come from.
 */
function fillWords(k0: number, k1: number, words: Uint32Array, offset: number, n: number): void {
  const half = Math.floor(n / 2);
  const odd = n & 1;
  const shift = half + odd;
  for (let i = 0; i < half; i++) {
    hash20Into(k0, k1, i >>> 0, (i + shift) >>> 0);
    words[offset + i] = out0;
    words[offset + i + shift] = out1;
  }
  if (odd) {
    hash20Into(k0, k1, half >>> 0, 0);
    words[offset + half] = out0;
  }
}

/** Re-slices a little-endian word stream into `count` elements of `width` bytes. */
function narrow(words: Uint32Array, count: number, width: 1 | 2): Uint8Array | Uint16Array {
  if (width === 2) {
    const out = new Uint16Array(count);
    for (let j = 0; j < count; j++) {
      out[j] = ((words[j >>> 1] as number) >>> ((j & 1) << 4)) & 0xffff;
    }
    return out;
  }
  const out = new Uint8Array(count);
  for (let j = 0; j < count; j++) {
    out[j] = ((words[j >>> 2] as number) >>> ((j & 3) << 3)) & 0xff;
  }
  return out;
}

/**
 * The random bits MLX's `RandomBits` primitive produces for one key: `count` elements of
 * `bytesPerElement` bytes each (uint32 for 4, uint16 for 2, uint8 for 1), in row-major order of
 * the output shape. Equivalent to `mx.random.bits(shape, width, key)` with `prod(shape) = count`.
 *
 * For widths 1 and 2 the uint32 word stream for `ceil(count * width / 4)` words is generated
 * exactly as for width 4 and then reinterpreted as little-endian bytes (MLX writes raw words into
 * the output buffer on little-endian hosts), truncated to `count` elements.
 */
export function randomBits(key: ArrayLike<number>, count: number): Uint32Array;
export function randomBits<W extends RandomBitsWidth>(
  key: ArrayLike<number>,
  count: number,
  bytesPerElement: W,
): BitsArray<W>;
export function randomBits(
  key: ArrayLike<number>,
  count: number,
  bytesPerElement: RandomBitsWidth = 4,
): Uint32Array | Uint16Array | Uint8Array {
  checkKey(key, "randomBits");
  checkCount(count, "randomBits");
  checkWidth(bytesPerElement, "randomBits");
  const k0 = (key[0] as number) >>> 0;
  const k1 = (key[1] as number) >>> 0;
  const nWords = Math.ceil((count * bytesPerElement) / 4);
  const words = new Uint32Array(nWords);
  fillWords(k0, k1, words, 0, nWords);
  return bytesPerElement === 4 ? words : narrow(words, count, bytesPerElement);
}

/**
 * Batched form of `randomBits`, matching MLX's `RandomBits` when its key input has shape
 * `(N1, ..., NK, 2)` (only reachable through `vmap` in MLX, since `mx.random.bits` itself requires
 * a key of shape `(2,)`): the output has shape `(N1, ..., NK, ...shape)` and key `i`'s block of
 * `elemsPerKey` elements is exactly `randomBits(keys[2i..2i+2], elemsPerKey, width)`. Blocks are
 * laid out one after another. `keys` must be the row-major (contiguous) key words.
 */
export function randomBitsBatch(keys: ArrayLike<number>, elemsPerKey: number): Uint32Array;
export function randomBitsBatch<W extends RandomBitsWidth>(
  keys: ArrayLike<number>,
  elemsPerKey: number,
  bytesPerElement: W,
): BitsArray<W>;
export function randomBitsBatch(
  keys: ArrayLike<number>,
  elemsPerKey: number,
  bytesPerElement: RandomBitsWidth = 4,
): Uint32Array | Uint16Array | Uint8Array {
  if (keys.length % 2 !== 0) {
    throw new RangeError(`randomBitsBatch: key words must come in pairs, got ${keys.length}`);
  }
  checkCount(elemsPerKey, "randomBitsBatch");
  checkWidth(bytesPerElement, "randomBitsBatch");
  const numKeys = keys.length / 2;
  const total = numKeys * elemsPerKey;
  if (bytesPerElement === 4) {
    const out = new Uint32Array(total);
    for (let k = 0; k < numKeys; k++) {
      const k0 = (keys[2 * k] as number) >>> 0;
      const k1 = (keys[2 * k + 1] as number) >>> 0;
      fillWords(k0, k1, out, k * elemsPerKey, elemsPerKey);
    }
    return out;
  }
  const out = bytesPerElement === 2 ? new Uint16Array(total) : new Uint8Array(total);
  const nWords = Math.ceil((elemsPerKey * bytesPerElement) / 4);
  const words = new Uint32Array(nWords);
  for (let k = 0; k < numKeys; k++) {
    const k0 = (keys[2 * k] as number) >>> 0;
    const k1 = (keys[2 * k + 1] as number) >>> 0;
    fillWords(k0, k1, words, 0, nWords);
    out.set(narrow(words, elemsPerKey, bytesPerElement), k * elemsPerKey);
  }
  return out;
}
