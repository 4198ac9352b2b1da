import { describe, expect, it } from "vitest";
import {
  BFLOAT16,
  bitWidth,
  FLOAT16,
  FLOAT32,
  maxFinite,
  minSubnormal,
} from "../../reference/formats.js";
import { decodeBits, encodeBits, nextDown, nextUp, roundToFormat } from "../../reference/round.js";
import { ulpDistance, ulpDistanceFloat32 } from "../../reference/ulp.js";
import { seededRandom } from "./inputs.js";

/**
 * The suite's own references, checked against what the JavaScript engine guarantees
 * (Math.fround and Float32Array are IEEE float32 rounding) so a wrong reference cannot make a
 * wrong backend pass. Host-only: no backend is involved.
 */
export function defineReferenceCheckSuite(): void {
  describe("reference helpers", () => {
    it("roundToFormat(float32) agrees with Math.fround across the whole range", () => {
      const rnd = seededRandom(601);
      const bad: string[] = [];
      for (let i = 0; i < 20000 && bad.length < 5; i++) {
        const x = (rnd() < 0.5 ? -1 : 1) * (1 + rnd()) * 2 ** Math.floor(rnd() * 320 - 160);
        if (!Object.is(roundToFormat(FLOAT32, x), Math.fround(x))) bad.push(`${x}`);
      }
      // midpoints, just either side of them, overflow and underflow edges
      for (const x of [
        1 + 2 ** -24,
        1 + 3 * 2 ** -24,
        1 + 2 ** -24 + 2 ** -50,
        2 ** -150,
        -(2 ** -150),
        3 * 2 ** -150,
        maxFinite(FLOAT32) + 2 ** 103,
        maxFinite(FLOAT32) + 2 ** 103 - 2 ** 80,
        1e300,
        -1e-300,
      ]) {
        if (!Object.is(roundToFormat(FLOAT32, x), Math.fround(x))) bad.push(`${x}`);
      }
      expect(bad).toEqual([]);
    });

    it("encodeBits/decodeBits are inverse over every float16 and bfloat16 pattern, and match Float32Array for float32", () => {
      for (const f of [FLOAT16, BFLOAT16]) {
        for (let b = 0; b < 2 ** bitWidth(f); b++) {
          const v = decodeBits(f, b);
          if (Number.isNaN(v)) continue;
          if (encodeBits(f, v) !== b) throw new Error(`${f.name} 0x${b.toString(16)} ↔ ${v}`);
          expect(roundToFormat(f, v)).toBe(v);
        }
      }
      // bfloat16 is the top half of float32
      const f32 = new Float32Array(1);
      const u32 = new Uint32Array(f32.buffer);
      const rnd = seededRandom(602);
      for (let i = 0; i < 5000; i++) {
        u32[0] = Math.floor(rnd() * 2 ** 32);
        const v = f32[0] as number;
        if (Number.isNaN(v)) continue;
        expect(encodeBits(FLOAT32, v)).toBe(u32[0]);
        expect(Object.is(decodeBits(FLOAT32, u32[0] as number), v)).toBe(true);
        expect(decodeBits(BFLOAT16, (u32[0] as number) >>> 16)).toBe(
          decodeBits(FLOAT32, ((u32[0] as number) >>> 16) * 65536),
        );
      }
      expect(decodeBits(FLOAT16, 0x7bff)).toBe(65504);
      expect(decodeBits(FLOAT16, 0x0001)).toBe(2 ** -24);
      expect(decodeBits(FLOAT16, 0x3c00)).toBe(1);
      expect(Object.is(decodeBits(FLOAT16, 0x8000), -0)).toBe(true);
      expect(decodeBits(BFLOAT16, 0x7f7f)).toBe(maxFinite(BFLOAT16));
    });

    it("float16 rounding: ties to even, overflow at 65520, underflow at 2^-25", () => {
      expect(roundToFormat(FLOAT16, 65519.99)).toBe(65504);
      expect(roundToFormat(FLOAT16, 65520)).toBe(Number.POSITIVE_INFINITY);
      expect(roundToFormat(FLOAT16, 2 ** -25)).toBe(0);
      expect(roundToFormat(FLOAT16, 2 ** -25 * (1 + 2 ** -40))).toBe(2 ** -24);
      expect(roundToFormat(FLOAT16, 1 + 2 ** -11)).toBe(1);
      expect(roundToFormat(FLOAT16, 1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
      expect(Object.is(roundToFormat(FLOAT16, -(2 ** -26)), -0)).toBe(true);
      expect(roundToFormat(BFLOAT16, 1 + 2 ** -8 + 2 ** -40)).toBe(1 + 2 ** -7);
    });

    it("ulpDistance counts representable values: ±0 equal, NaN only NaN, infinities by sign", () => {
      const tiny = minSubnormal(FLOAT32);
      const max = maxFinite(FLOAT32);
      const inf = Number.POSITIVE_INFINITY;
      expect(ulpDistanceFloat32(0, -0)).toBe(0);
      expect(ulpDistanceFloat32(tiny, -tiny)).toBe(2);
      expect(ulpDistanceFloat32(1, nextUp(FLOAT32, 1))).toBe(1);
      expect(ulpDistanceFloat32(1, nextDown(FLOAT32, 1))).toBe(1);
      expect(ulpDistanceFloat32(2 ** -126, nextDown(FLOAT32, 2 ** -126))).toBe(1);
      expect(ulpDistanceFloat32(1, 2)).toBe(2 ** 23);
      expect(ulpDistanceFloat32(Number.NaN, Number.NaN)).toBe(0);
      expect(ulpDistanceFloat32(Number.NaN, 1)).toBe(inf);
      expect(ulpDistanceFloat32(0, Number.NaN)).toBe(inf);
      expect(ulpDistanceFloat32(inf, inf)).toBe(0);
      expect(ulpDistanceFloat32(-inf, inf)).toBe(inf);
      expect(ulpDistanceFloat32(max, inf)).toBe(inf);
      expect(ulpDistanceFloat32(-inf, -max)).toBe(inf);
      expect(ulpDistance(FLOAT16, 65504, 65472)).toBe(1);
      expect(ulpDistance(BFLOAT16, 1, 1 + 2 ** -7)).toBe(1);
      expect(() => ulpDistanceFloat32(1, 1 + 2 ** -30)).toThrow(/not a float32/);
    });
  });
}
