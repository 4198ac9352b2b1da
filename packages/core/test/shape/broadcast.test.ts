import { describe, expect, it } from "vitest";
import { NnkitError } from "../../src/errors.js";
import {
  broadcastShapes,
  broadcastShapesFor,
  broadcastStrides,
} from "../../src/shape/broadcast.js";

function thrown(run: () => unknown): NnkitError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(NnkitError);
    return e as NnkitError;
  }
  throw new Error("expected an NnkitError, but nothing was thrown");
}

describe("broadcastShapes (NumPy rules)", () => {
  it.each([
    [
      [
        [2, 3],
        [2, 3],
      ],
      [2, 3],
    ],
    [
      [[], [2, 3]],
      [2, 3],
    ],
    [
      [[2, 3], []],
      [2, 3],
    ],
    [
      [
        [3, 1],
        [1, 4],
      ],
      [3, 4],
    ],
    [
      [
        [1, 4],
        [2, 1, 1],
      ],
      [2, 1, 4],
    ],
    [
      [[4], [2, 3, 1]],
      [2, 3, 4],
    ],
    [
      [
        [3, 1],
        [1, 4],
        [2, 1, 1],
      ],
      [2, 3, 4],
    ],
    [
      [
        [0, 3],
        [1, 3],
      ],
      [0, 3],
    ],
    [[[0], [1]], [0]],
    [
      [
        [2, 1],
        [2, 0],
      ],
      [2, 0],
    ],
    [
      [
        [5, 1, 0],
        [1, 7, 1],
      ],
      [5, 7, 0],
    ],
    [[[]], []],
    [[], []],
  ] as const)("%j → %j", (shapes, expected) => {
    expect(broadcastShapesFor("add", ...shapes)).toEqual(expected);
  });

  it("rejects incompatible shapes, naming the function, the shapes and the axis", () => {
    const e = thrown(() => broadcastShapesFor("add", [2, 3], [4]));
    expect(e.fn).toBe("add");
    expect(e.message).toMatch(/^add: /);
    expect(e.message).toContain("(2, 3)");
    expect(e.message).toContain("(4,)");
    expect(e.message).toContain("cannot be broadcast");
    expect(e.message).toContain("axis -1");
    expect(e.message).toMatch(/3 and 4/);
  });

  it("rejects a size-0 axis against a size other than 0 or 1", () => {
    expect(thrown(() => broadcastShapesFor("where", [0], [2])).fn).toBe("where");
    expect(thrown(() => broadcastShapesFor("multiply", [2, 0], [3, 1])).message).toContain(
      "cannot be broadcast",
    );
  });

  it("names the mismatching axis counted from the end", () => {
    const e = thrown(() => broadcastShapesFor("where", [2, 3, 4], [5, 1, 4]));
    expect(e.message).toContain("axis -3");
  });
});

describe("broadcastStrides", () => {
  it("gives stretched and prepended axes stride 0", () => {
    expect(broadcastStrides([3, 1], [1, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([4], [1], [3, 4])).toEqual([0, 1]);
    expect(broadcastStrides([2, 3], [3, 1], [2, 3])).toEqual([3, 1]);
    expect(broadcastStrides([], [], [2, 2])).toEqual([0, 0]);
  });

  it("keeps the strides of a non-contiguous view", () => {
    // A transposed (3, 2) view of a (2, 3) buffer, broadcast to (4, 3, 2).
    expect(broadcastStrides([3, 2], [1, 3], [4, 3, 2])).toEqual([0, 1, 3]);
  });

  it("keeps a size-1 axis's stride when the target axis is also 1", () => {
    expect(broadcastStrides([1, 3], [3, 1], [1, 3])).toEqual([3, 1]);
  });
});

describe("broadcast shapes and strides without copies", () => {
  it("a caller's unfrozen shape is copied, not frozen in place", () => {
    const mine = [2, 3];
    const z = broadcastShapesFor("t", mine, [3]);
    expect(z).not.toBe(mine);
    expect(Object.isFrozen(mine)).toBe(false);
  });

  it("broadcastShapes hands out a fresh mutable array even on the scalar fast path", () => {
    const shape = Object.freeze([1, 3]);
    const out = broadcastShapes(shape, []);
    expect(out).toEqual([1, 3]);
    expect(out).not.toBe(shape);
    out.push(9); // the caller's to change
    expect(shape).toEqual([1, 3]);
  });

  it("an input of the target's own shape object keeps its strides (no copy)", () => {
    const shape = Object.freeze([2, 3]);
    const strides = Object.freeze([1, 2]);
    expect(broadcastStrides(shape, strides, shape)).toBe(strides);
    // An equal but distinct shape takes the general path (a new array, same values).
    expect(broadcastStrides([2, 3], strides, shape)).toEqual([1, 2]);
  });
});
