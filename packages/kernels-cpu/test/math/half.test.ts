import {
  bfloat16BitsToNumber,
  decodeBfloat16,
  decodeFloat16,
  encodeBfloat16,
  encodeFloat16,
  float16BitsToNumber,
  float64ToBfloat16Bits,
  float64ToFloat16Bits,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { nextDown, nextUp } from "./ulp.js";

/**
 * References here are independent of src/math/half.ts: values are decoded from the bit fields
 * with plain arithmetic, and rounding is checked against the exact midpoints between consecutive
 * representable values (exact in float64, since both formats have at most 11 significant bits).
 */

interface Format {
  name: string;
  expBits: number;
  manBits: number;
  nan: number;
  encode: (x: number) => number;
  decode: (bits: number) => number;
}

const F16: Format = {
  name: "float16",
  expBits: 5,
  manBits: 10,
  nan: 0x7e00,
  encode: float64ToFloat16Bits,
  decode: float16BitsToNumber,
};
const BF16: Format = {
  name: "bfloat16",
  expBits: 8,
  manBits: 7,
  nan: 0x7fc0,
  encode: float64ToBfloat16Bits,
  decode: bfloat16BitsToNumber,
};

/** Reference decoding from the bit fields. */
function refDecode(f: Format, bits: number): number {
  const bias = (1 << (f.expBits - 1)) - 1;
  const e = (bits >> f.manBits) & ((1 << f.expBits) - 1);
  const m = bits & ((1 << f.manBits) - 1);
  const sign = bits & 0x8000 ? -1 : 1;
  if (e === (1 << f.expBits) - 1) return m === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (e === 0) return sign * m * 2 ** (1 - bias - f.manBits);
  return sign * (1 + m / 2 ** f.manBits) * 2 ** (e - bias);
}

/** Positive finite values in increasing order, with their bit patterns (index = bits). */
function positiveFinite(f: Format): number[] {
  const inf = ((1 << f.expBits) - 1) << f.manBits;
  const out: number[] = [];
  for (let b = 0; b < inf; b++) out.push(refDecode(f, b));
  return out;
}

/** The value one step past the largest finite value (where overflow to inf is measured from). */
function overflowStep(f: Format): number {
  const bias = (1 << (f.expBits - 1)) - 1;
  return 2 ** (bias + 1);
}

/** Reference round-to-nearest-even from the sorted table of values. */
function refEncode(f: Format, table: number[], x: number): number {
  if (Number.isNaN(x)) return f.nan;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const inf = ((1 << f.expBits) - 1) << f.manBits;
  const maxFinite = table[table.length - 1] as number;
  if (a >= (maxFinite + overflowStep(f)) / 2) return sign | inf;
  // largest index with table[i] <= a
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((table[mid] as number) <= a) lo = mid;
    else hi = mid - 1;
  }
  const below = table[lo] as number;
  if (below === a || lo === table.length - 1) return sign | lo;
  const above = table[lo + 1] as number;
  const midpoint = (below + above) / 2; // exact
  if (a < midpoint) return sign | lo;
  if (a > midpoint) return sign | (lo + 1);
  return sign | (lo % 2 === 0 ? lo : lo + 1);
}

/** Deterministic 32-bit generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const view = new DataView(new ArrayBuffer(8));
function fromWords(hi: number, lo: number): number {
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** Random doubles: random bit patterns, plus values concentrated in and around the format. */
function randomDoubles(f: Format, n: number, seed: number): number[] {
  const next = rng(seed);
  const bias = (1 << (f.expBits - 1)) - 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    if (kind === 0) {
      out.push(fromWords(next(), next()));
    } else {
      // exponent from two below the smallest subnormal to one above the largest normal
      const lowest = 1 - bias - f.manBits - 2;
      const e = lowest + (next() % (bias + 2 - lowest));
      const mant = 1 + next() / 2 ** 32 + next() / 2 ** 64;
      const sign = next() & 1 ? -1 : 1;
      out.push(sign * mant * 2 ** e);
    }
  }
  return out;
}

for (const f of [F16, BF16]) {
  describe(f.name, () => {
    const table = positiveFinite(f);
    const inf = ((1 << f.expBits) - 1) << f.manBits;

    it("decodes all 65536 patterns exactly", () => {
      for (let b = 0; b < 65536; b++) {
        const want = refDecode(f, b);
        const got = f.decode(b);
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else if (!Object.is(got, want)) expect(got, `bits 0x${b.toString(16)}`).toBe(want);
      }
    });

    it("round-trips all 65536 patterns (NaN stays NaN, canonical)", () => {
      for (let b = 0; b < 65536; b++) {
        const v = f.decode(b);
        const back = f.encode(v);
        if (Number.isNaN(v)) {
          if (back !== f.nan) expect(back, `bits 0x${b.toString(16)}`).toBe(f.nan);
          expect(f.decode(back)).toBeNaN();
        } else if (back !== b) {
          expect(back, `bits 0x${b.toString(16)}`).toBe(b);
        }
      }
    });

    it("rounds every midpoint to even, and its neighbours to the nearer value", () => {
      for (let i = 0; i + 1 < table.length; i++) {
        const a = table[i] as number;
        const b = table[i + 1] as number;
        const m = (a + b) / 2;
        const even = i % 2 === 0 ? i : i + 1;
        for (const sign of [0, 0x8000]) {
          const s = sign ? -1 : 1;
          const got = [f.encode(s * m), f.encode(s * nextUp(m)), f.encode(s * nextDown(m))];
          const want = [sign | even, sign | (i + 1), sign | i];
          if (got[0] !== want[0] || got[1] !== want[1] || got[2] !== want[2]) {
            expect(got, `between 0x${i.toString(16)} and 0x${(i + 1).toString(16)}`).toEqual(want);
          }
        }
      }
    });

    it("matches the reference rounding on random doubles", () => {
      for (const x of randomDoubles(f, 300000, f.expBits)) {
        const want = refEncode(f, table, x);
        const got = f.encode(x);
        if (got !== want) expect(got, `x=${x}`).toBe(want);
      }
    });

    it("keeps signed zeros, infinities and NaN", () => {
      expect(f.encode(0)).toBe(0);
      expect(f.encode(-0)).toBe(0x8000);
      expect(f.encode(Number.POSITIVE_INFINITY)).toBe(inf);
      expect(f.encode(Number.NEGATIVE_INFINITY)).toBe(0x8000 | inf);
      expect(f.encode(Number.NaN)).toBe(f.nan);
      expect(f.encode(Number.MAX_VALUE)).toBe(inf);
      expect(f.encode(-Number.MAX_VALUE)).toBe(0x8000 | inf);
      expect(f.encode(2 ** -1074)).toBe(0);
      expect(f.encode(-(2 ** -1074))).toBe(0x8000);
      expect(Object.is(f.decode(0x8000), -0)).toBe(true);
    });

    it("rounds subnormals on the subnormal grid", () => {
      const tiny = table[1] as number; // smallest subnormal
      expect(f.encode(tiny / 2)).toBe(0); // tie: to even (zero)
      expect(f.encode(nextUp(tiny / 2))).toBe(1);
      expect(f.encode(-nextUp(tiny / 2))).toBe(0x8001);
      expect(f.encode(tiny * 1.5)).toBe(2); // tie between 1 and 2: to even
      expect(f.encode(tiny * 2.5)).toBe(2); // tie between 2 and 3: to even
      expect(f.encode(tiny * 0.75)).toBe(1);
      expect(f.encode(tiny * 0.25)).toBe(0);
      const maxSub = (1 << f.manBits) - 1;
      const minNormal = table[1 << f.manBits] as number;
      expect(f.encode((table[maxSub] as number) + tiny / 2)).toBe(1 << f.manBits); // tie: to even
      expect(f.encode(nextDown(minNormal))).toBe(1 << f.manBits);
    });

    it("decodes in bulk and encodes in bulk like the scalar functions", () => {
      const xs = randomDoubles(f, 20000, 99);
      xs.push(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
      const want = Uint16Array.from(xs, (x) => f.encode(x));
      const encode = f === F16 ? encodeFloat16 : encodeBfloat16;
      const decode = f === F16 ? decodeFloat16 : decodeBfloat16;

      const backing = new Float64Array(xs.length + 3);
      backing.set(xs, 3);
      const srcs: ArrayLike<number>[] = [xs, Float64Array.from(xs), backing.subarray(3)];
      for (const src of srcs) {
        const dst = new Uint16Array(xs.length);
        encode(src, dst);
        expect(dst).toEqual(want);
      }
      const f32 = Float32Array.from(xs);
      const dst32 = new Uint16Array(xs.length);
      encode(f32, dst32);
      expect(dst32).toEqual(Uint16Array.from(f32, (x) => f.encode(x)));

      const all = new Uint16Array(65536);
      for (let b = 0; b < 65536; b++) all[b] = b;
      const d32 = new Float32Array(65536);
      const d64 = new Float64Array(65536);
      decode(all, d32);
      decode(all, d64);
      for (let b = 0; b < 65536; b++) {
        const v = f.decode(b);
        if (Number.isNaN(v)) {
          expect(d32[b]).toBeNaN();
          expect(d64[b]).toBeNaN();
        } else if (!Object.is(d32[b], v) || !Object.is(d64[b], v)) {
          expect([d32[b], d64[b]], `bits 0x${b.toString(16)}`).toEqual([v, v]);
        }
      }
      expect(() => encode([1, 2, 3], new Uint16Array(2))).toThrow(RangeError);
      expect(() => decode(new Uint16Array(3), new Float32Array(2))).toThrow(RangeError);
    });
  });
}

describe("float16 specifics", () => {
  it("overflows to infinity at 65520 and not before", () => {
    expect(float64ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float64ToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(float64ToFloat16Bits(nextDown(65520))).toBe(0x7bff);
    expect(float64ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float64ToFloat16Bits(-65520)).toBe(0xfc00);
    expect(float64ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float16BitsToNumber(0x7bff)).toBe(65504);
  });

  it("subnormal and normal limits", () => {
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x03ff)).toBe(1023 * 2 ** -24);
    expect(float16BitsToNumber(0x0400)).toBe(2 ** -14);
    expect(float64ToFloat16Bits(2 ** -24)).toBe(1);
    expect(float64ToFloat16Bits(2 ** -25)).toBe(0);
    expect(float64ToFloat16Bits(nextUp(2 ** -25))).toBe(1);
    expect(float64ToFloat16Bits(5.9604644775390625e-8)).toBe(1);
  });

  it("rounds directly from float64: no double rounding through float32", () => {
    // 1 + 2^-11 + 2^-40 is just above the midpoint between 1 and 1 + 2^-10. Float32 keeps only
    // 1 + 2^-11 (the midpoint itself), which then ties to even (1): the wrong answer.
    const x = 1 + 2 ** -11 + 2 ** -40;
    const viaF32 = float64ToFloat16Bits(Math.fround(x));
    expect(viaF32).toBe(0x3c00);
    expect(float64ToFloat16Bits(x)).toBe(0x3c01);
    expect(float64ToFloat16Bits(x)).not.toBe(viaF32);
    // and the mirrored case just below a midpoint that float32 rounds up onto it
    const y = 1 + 3 * 2 ** -11 - 2 ** -40; // just below the midpoint between 1+2^-10 and 1+2^-9
    expect(float64ToFloat16Bits(Math.fround(y))).toBe(0x3c02); // tie to even after float32
    expect(float64ToFloat16Bits(y)).toBe(0x3c01);
  });
});

describe("bfloat16 specifics", () => {
  it("overflows to infinity exactly at the midpoint above the largest finite value", () => {
    const maxFinite = (2 - 2 ** -7) * 2 ** 127;
    const threshold = (2 - 2 ** -8) * 2 ** 127;
    expect(bfloat16BitsToNumber(0x7f7f)).toBe(maxFinite);
    expect(float64ToBfloat16Bits(maxFinite)).toBe(0x7f7f);
    expect(float64ToBfloat16Bits(nextDown(threshold))).toBe(0x7f7f);
    expect(float64ToBfloat16Bits(threshold)).toBe(0x7f80);
    expect(float64ToBfloat16Bits(-threshold)).toBe(0xff80);
    expect(float64ToBfloat16Bits(3.4028234663852886e38)).toBe(0x7f80); // float32 max
  });

  it("keeps the top 16 bits of float32 for exactly representable values", () => {
    expect(float64ToBfloat16Bits(1)).toBe(0x3f80);
    expect(float64ToBfloat16Bits(-2)).toBe(0xc000);
    expect(float64ToBfloat16Bits(2 ** -133)).toBe(0x0001);
    expect(float64ToBfloat16Bits(2 ** -126)).toBe(0x0080);
    expect(bfloat16BitsToNumber(0x0001)).toBe(2 ** -133);
  });

  it("rounds directly from float64: no double rounding through float32", () => {
    const x = 1 + 2 ** -8 + 2 ** -40;
    const viaF32 = float64ToBfloat16Bits(Math.fround(x));
    expect(viaF32).toBe(0x3f80);
    expect(float64ToBfloat16Bits(x)).toBe(0x3f81);
  });
});

describe("speed", () => {
  it("encodes and decodes a million values without per-element allocation", () => {
    const n = 1 << 20;
    const src = new Float64Array(n);
    const next = rng(5);
    for (let i = 0; i < n; i++) src[i] = (next() / 2 ** 32 - 0.5) * 1000;
    const h = new Uint16Array(n);
    const back = new Float32Array(n);
    const t0 = performance.now();
    encodeFloat16(src, h);
    decodeFloat16(h, back);
    encodeBfloat16(src, h);
    decodeBfloat16(h, back);
    const ms = performance.now() - t0;
    console.log(`float16+bfloat16 encode+decode of ${n} values: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(5000);
  });
});
