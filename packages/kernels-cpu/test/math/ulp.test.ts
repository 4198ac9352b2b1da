import { describe, expect, it } from "vitest";
import { nextDown, nextUp, orderedIndex, ulpDistance } from "./ulp.js";

describe("ulpDistance", () => {
  it("is zero for equal values, and +0 equals -0", () => {
    expect(ulpDistance(1.5, 1.5)).toBe(0);
    expect(ulpDistance(0, -0)).toBe(0);
    expect(ulpDistance(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(0);
    expect(ulpDistance(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it("treats NaN as equal only to NaN", () => {
    expect(ulpDistance(Number.NaN, Number.NaN)).toBe(0);
    expect(ulpDistance(Number.NaN, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(ulpDistance(1, Number.NaN)).toBe(Number.POSITIVE_INFINITY);
  });

  it("counts neighbours, across binades and across zero", () => {
    expect(ulpDistance(1, 1 + 2 ** -52)).toBe(1);
    expect(ulpDistance(1, 1 - 2 ** -53)).toBe(1);
    expect(ulpDistance(1 - 2 ** -53, 1 + 2 ** -52)).toBe(2);
    expect(ulpDistance(2 ** -1074, -(2 ** -1074))).toBe(2);
    expect(ulpDistance(0, 2 ** -1074)).toBe(1);
    expect(ulpDistance(-0, 3 * 2 ** -1074)).toBe(3);
    expect(ulpDistance(2 ** -1022, 2 ** -1022 - 2 ** -1074)).toBe(1);
    expect(ulpDistance(1, 2)).toBe(2 ** 52);
  });

  it("matches infinities by sign, one step past the largest finite double", () => {
    expect(ulpDistance(Number.MAX_VALUE, Number.POSITIVE_INFINITY)).toBe(1);
    expect(ulpDistance(-Number.MAX_VALUE, Number.NEGATIVE_INFINITY)).toBe(1);
    expect(ulpDistance(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBeGreaterThan(
      2 ** 63,
    );
  });

  it("nextUp / nextDown step by one representable double", () => {
    expect(nextUp(1)).toBe(1 + 2 ** -52);
    expect(nextDown(1)).toBe(1 - 2 ** -53);
    expect(nextUp(-0)).toBe(2 ** -1074);
    expect(nextDown(0)).toBe(-(2 ** -1074));
    expect(nextUp(-(2 ** -1074))).toBe(-0);
    expect(nextUp(Number.MAX_VALUE)).toBe(Number.POSITIVE_INFINITY);
    expect(orderedIndex(nextUp(1)) - orderedIndex(1)).toBe(1n);
  });
});
