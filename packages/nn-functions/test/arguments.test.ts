import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { describe, expect, it } from "vitest";
import * as nn from "../src/index.js";

/** Runs `f`, expecting an NnkitError from `fn` whose message matches `pattern`. */
function expectError(f: () => unknown, fn: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(mx.NnkitError);
  const err = caught as mx.NnkitError;
  expect(err.fn).toBe(fn);
  expect(err.message).toMatch(pattern);
}

/** Asserts building the graph leaves no buffer behind (nothing is allocated before validation). */
function expectNoLeak(f: () => void): void {
  const before = mx.getStats().liveBuffers;
  f();
  expect(mx.getStats().liveBuffers).toBe(before);
}

describe("argument errors", () => {
  it("glu on an odd-sized axis names the axis, its size and the fix", () => {
    expectNoLeak(() =>
      expectError(
        () => nn.glu(mx.array([1, 2, 3, 4, 5])),
        "glu",
        /^glu: axis -1 has size 5, which cannot be split into two equal halves$/,
      ),
    );
    expectError(
      () => nn.glu(mx.zeros([3, 4]), 0),
      "glu",
      /^glu: axis 0 has size 3, which cannot be split into two equal halves$/,
    );
  });

  it.each([
    ["glu", () => nn.glu(mx.zeros([2, 4]), 2)],
    ["softmax", () => nn.softmax(mx.zeros([2, 4]), -3)],
    ["softmin", () => nn.softmin(mx.zeros([2, 4]), 5)],
    ["logSoftmax", () => nn.logSoftmax(mx.zeros([2, 4]), [0, 2])],
  ])("%s rejects an axis out of range", (fn, f) => {
    expectNoLeak(() =>
      expectError(f, fn, /axis -?\d+ is out of range for an array with 2 dimensions/),
    );
  });

  it("prelu rejects an alpha that does not broadcast, and a missing alpha", () => {
    expectNoLeak(() =>
      expectError(
        () => nn.prelu(mx.zeros([2, 4]), [0.1, 0.2, 0.3]),
        "prelu",
        /alpha of shape \(3\) does not broadcast against x of shape \(2, 4\)/,
      ),
    );
    expectError(
      () => (nn.prelu as (x: unknown) => unknown)(mx.zeros([2])),
      "prelu",
      /alpha is required/,
    );
  });

  it("prelu with a number alpha leaves no buffer behind once x and the result are disposed", () => {
    const before = mx.getStats().liveBuffers;
    const x = mx.array([-2, 1], "float16");
    const y = nn.prelu(x, 0.25);
    // The number is a float32 scalar, as mx.array(0.25) would be: float16 x promotes.
    expect(y.dtype).toBe("float32");
    expect(Array.from(y.dataSync())).toEqual([-0.5, 1]);
    x.dispose();
    y.dispose();
    expect(mx.getStats().liveBuffers).toBe(before);
  });

  it("hardTanh rejects minVal > maxVal", () => {
    expectError(
      () => nn.hardTanh(mx.zeros([2]), 2, 1),
      "hardTanh",
      /minVal \(2\) must not be greater than maxVal \(1\)/,
    );
    expectError(() => nn.hardTanh(mx.zeros([2]), Number.NaN, 1), "hardTanh", /minVal \(NaN\)/);
  });

  it.each([
    ["hardShrink", nn.hardShrink],
    ["softshrink", nn.softshrink],
  ] as const)("%s rejects a negative or non-finite lambd", (fn, f) => {
    expectError(() => f(mx.zeros([2]), -0.5), fn, /lambd must be non-negative; got -0.5/);
    expectError(
      () => f(mx.zeros([2]), Number.POSITIVE_INFINITY),
      fn,
      /lambd must be a finite number; got Infinity/,
    );
    expectError(() => f(mx.zeros([2]), Number.NaN), fn, /lambd must be a finite number; got NaN/);
  });

  it("rejects non-number parameters by name", () => {
    const badElu = nn.elu as (x: mx.Array, alpha: unknown) => mx.Array;
    expectError(() => badElu(mx.zeros([2]), "1"), "elu", /alpha must be a number; got "1"/);
    const badStep = nn.step as (x: mx.Array, t: unknown) => mx.Array;
    expectError(() => badStep(mx.zeros([2]), null), "step", /threshold must be a number; got null/);
    expectError(() => nn.celu(mx.zeros([2]), 0), "celu", /alpha must not be zero/);
  });

  it("softmin and logSigmoid reject bool input under their own names, as MLX raises", () => {
    expectError(
      () => nn.softmin(mx.array([true, false])),
      "softmin",
      /bool input is not supported/,
    );
    expectError(
      () => nn.logSigmoid(mx.array([true, false])),
      "logSigmoid",
      /bool input is not supported/,
    );
  });

  it("the softmax family needs at least one dimension; logSoftmax of an empty array raises", () => {
    expectError(() => nn.softmax(mx.array(1)), "softmax", /at least one dimension/);
    expectError(() => nn.logSoftmax(mx.zeros([0])), "logSoftmax", /empty/);
  });
});

describe("defaults and inputs", () => {
  it("uses MLX's defaults positionally", async () => {
    const x = mx.array([-2, -0.5, 0.25, 0.5, 3]);
    const same = async (a: mx.Array, b: mx.Array) => expect(await a.data()).toEqual(await b.data());
    await same(nn.elu(x), nn.elu(x, 1));
    await same(nn.leakyRelu(x), nn.leakyRelu(x, 0.01));
    await same(nn.hardTanh(x), nn.hardTanh(x, -1, 1));
    await same(nn.hardShrink(x), nn.hardShrink(x, 0.5));
    await same(nn.softshrink(x), nn.softshrink(x, 0.5));
    await same(nn.step(x), nn.step(x, 0));
    await same(nn.softmax(x), nn.softmax(x, -1));
  });

  it("accepts numbers, nested arrays and typed arrays as input", async () => {
    expect(await nn.relu([[-1, 2]]).data()).toEqual(new Float32Array([0, 2]));
    expect(await nn.relu(new Float32Array([-1, 2])).data()).toEqual(new Float32Array([0, 2]));
    expect(nn.relu(-3).item()).toBe(0);
  });

  it("the catalogue lists each exported function once, with MLX's names", () => {
    const names = nn.ACTIVATIONS.map((a) => a.name);
    expect(new Set(names).size).toBe(27);
    for (const name of names) expect(typeof (nn as Record<string, unknown>)[name]).toBe("function");
    expect(nn.activation("leakyRelu")?.mlxName).toBe("leaky_relu");
  });
});
