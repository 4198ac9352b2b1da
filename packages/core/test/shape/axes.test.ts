import { describe, expect, it } from "vitest";
import { NnkitError } from "../../src/errors.js";
import { normalizeAxes, normalizeAxis } from "../../src/shape/axes.js";

function thrown(run: () => unknown): NnkitError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(NnkitError);
    return e as NnkitError;
  }
  throw new Error("expected an NnkitError, but nothing was thrown");
}

describe("normalizeAxis", () => {
  it("maps -ndim..ndim-1 onto 0..ndim-1", () => {
    expect([-3, -2, -1, 0, 1, 2].map((a) => normalizeAxis("sum", a, 3))).toEqual([
      0, 1, 2, 0, 1, 2,
    ]);
    expect(normalizeAxis("sum", 0, 1)).toBe(0);
    expect(normalizeAxis("sum", -1, 1)).toBe(0);
  });

  it("rejects out-of-range axes, naming the function and the valid range", () => {
    for (const axis of [3, -4, 100]) {
      const e = thrown(() => normalizeAxis("sum", axis, 3));
      expect(e.fn).toBe("sum");
      expect(e.message).toMatch(/^sum: /);
      expect(e.message).toContain(`axis ${axis} is out of range`);
      expect(e.message).toContain("3 dimensions");
      expect(e.message).toContain("-3 to 2");
    }
    expect(thrown(() => normalizeAxis("split", 1, 1)).message).toContain("1 dimension ");
  });

  it("says when an array is 0-d", () => {
    const e = thrown(() => normalizeAxis("squeeze", 0, 0));
    expect(e.fn).toBe("squeeze");
    expect(e.message).toContain("0-d");
  });

  it("rejects non-integers and names the argument", () => {
    expect(thrown(() => normalizeAxis("sum", 1.5, 3)).message).toContain("axis must be an integer");
    expect(thrown(() => normalizeAxis("sum", "1", 3)).message).toContain('"1"');
    expect(thrown(() => normalizeAxis("sum", Number.NaN, 3)).message).toContain("integer");
    expect(thrown(() => normalizeAxis("transpose", 5, 2, "axes")).message).toContain(
      "axes 5 is out of range",
    );
  });
});

describe("normalizeAxes", () => {
  it("undefined means every axis", () => {
    expect(normalizeAxes("sum", undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeAxes("sum", undefined, 0)).toEqual([]);
  });

  it("a number or a list, normalised and sorted", () => {
    expect(normalizeAxes("sum", -1, 3)).toEqual([2]);
    expect(normalizeAxes("sum", [2, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes("sum", [-1, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes("sum", [], 3)).toEqual([]);
  });

  it("does not modify the caller's list", () => {
    const axes = [2, 0];
    normalizeAxes("sum", axes, 3);
    expect(axes).toEqual([2, 0]);
  });

  it("rejects the same axis twice, also through negative aliases", () => {
    expect(thrown(() => normalizeAxes("max", [1, 1], 3)).message).toMatch(
      /^max: .*same axis twice/,
    );
    expect(thrown(() => normalizeAxes("max", [0, -3], 3)).message).toContain("same axis twice");
  });

  it("rejects out-of-range entries and values that are not axes", () => {
    expect(thrown(() => normalizeAxes("sum", [0, 3], 3)).message).toContain(
      "axis 3 is out of range",
    );
    expect(thrown(() => normalizeAxes("sum", "0" as unknown as number, 3)).message).toContain(
      "axis must be an integer or a list of integers",
    );
  });
});
