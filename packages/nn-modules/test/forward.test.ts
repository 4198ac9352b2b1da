import { array, full, type Array as MxArray } from "@nnkit/core";
import {
  ACTIVATIONS,
  activation,
  gelu,
  geluApprox,
  geluFastApprox,
  hardTanh,
  logSoftmax,
  prelu,
  softmax,
  softmin,
} from "@nnkit/nn-functions";
import { describe, expect, it } from "vitest";
import { GELU, HardTanh, LogSoftmax, MODULES, PReLU, Softmax, Softmin } from "../src/index.js";
import { expectSameArray } from "./helpers.js";

// Rows chosen so both axes have even length (GLU) and every branch of every activation runs.
const X = () =>
  array(
    [
      [-3, -1, -0.25, 0],
      [0.3, 1, 2.5, 6],
    ],
    "float32",
  );

/** A non-default value for each option name the generic modules use. */
const SAMPLE: Readonly<Record<string, unknown>> = {
  alpha: 1.7,
  negativeSlope: 0.2,
  lambd: 0.3,
  threshold: 0.25,
  minVal: -2,
  maxVal: 2,
  axis: 0,
};

// GELU picks a function by option and PReLU holds a parameter; both are tested separately.
const GENERIC = MODULES.filter((m) => m.name !== "GELU" && m.name !== "PReLU");

describe("MODULES", () => {
  it("lists MLX's 25 activation Modules once each", () => {
    expect(MODULES).toHaveLength(25);
    expect(new Set(MODULES.map((m) => m.name)).size).toBe(25);
  });

  it("together call all 27 nn-functions, and only those", () => {
    const called = MODULES.flatMap((m) => m.functions);
    for (const f of called) expect(activation(f), f).toBeDefined();
    expect(new Set(called)).toEqual(new Set(ACTIVATIONS.map((a) => a.name)));
  });

  it("take their defaults from nn-functions' catalogue", () => {
    for (const m of GENERIC) {
      const fn = activation(m.functions[0] as string);
      for (const o of m.options) {
        const p = fn?.params.find((q) => q.name === o.name);
        expect(p, `${m.name}.${o.name}`).toBeDefined();
        expect(o.default, `${m.name}.${o.name}`).toBe(p?.default);
      }
    }
  });

  it("every option name of the generic modules is a parameter name of its function", () => {
    for (const m of GENERIC) {
      const params = activation(m.functions[0] as string)?.params.map((p) => p.name) ?? [];
      for (const o of m.options) expect(params, m.name).toContain(o.name);
      for (const o of m.options) expect(SAMPLE, `${m.name}.${o.name}`).toHaveProperty(o.name);
    }
  });
});

describe("forward(x) equals the nn-functions function", () => {
  for (const m of GENERIC) {
    const fnName = m.functions[0] as string;
    it(`${m.name}() equals ${fnName}(x) with its defaults`, async () => {
      const fn = activation(fnName);
      await expectSameArray(m.create().forward(X()), fn?.apply(X()) as MxArray);
    });
    if (m.options.length > 0) {
      const options = Object.fromEntries(m.options.map((o) => [o.name, SAMPLE[o.name]]));
      it(`${m.name}(${JSON.stringify(options)}) equals ${fnName}(x, ...) with those values`, async () => {
        const fn = activation(fnName);
        const expected = fn?.apply(X(), options as Record<string, number>) as MxArray;
        await expectSameArray(m.create(options).forward(X()), expected);
      });
    }
  }

  it("HardTanh({minVal: -2, maxVal: 2}) equals hardTanh(x, -2, 2)", async () => {
    const x = array([-3, -1.5, 0, 1.5, 3], "float32");
    await expectSameArray(new HardTanh({ minVal: -2, maxVal: 2 }).forward(x), hardTanh(x, -2, 2));
    await expectSameArray(new HardTanh({ maxVal: 0.5 }).forward(x), hardTanh(x, -1, 0.5));
  });

  it("Softmax/LogSoftmax/Softmin take an axis or a list of axes", async () => {
    await expectSameArray(new Softmax({ axis: 0 }).forward(X()), softmax(X(), 0));
    await expectSameArray(new Softmax({ axis: [0, 1] }).forward(X()), softmax(X(), [0, 1]));
    await expectSameArray(new LogSoftmax({ axis: 0 }).forward(X()), logSoftmax(X(), 0));
    await expectSameArray(new Softmin({ axis: -2 }).forward(X()), softmin(X(), -2));
    await expectSameArray(new Softmax().forward(X()), softmax(X(), -1));
  });

  it("GELU's approx picks gelu, geluApprox or geluFastApprox", async () => {
    await expectSameArray(new GELU().forward(X()), gelu(X()));
    await expectSameArray(new GELU({ approx: "none" }).forward(X()), gelu(X()));
    await expectSameArray(new GELU({ approx: "precise" }).forward(X()), geluApprox(X()));
    await expectSameArray(new GELU({ approx: "tanh" }).forward(X()), geluApprox(X()));
    await expectSameArray(new GELU({ approx: "fast" }).forward(X()), geluFastApprox(X()));
  });

  it("PReLU({numParameters: 4, init: 0.1}) equals prelu(x, full([4], 0.1)) along the last axis", async () => {
    const m = new PReLU({ numParameters: 4, init: 0.1 });
    expect(m.weight.shape).toEqual([4]);
    expect(m.weight.dtype).toBe("float32");
    expect(Array.from(await m.weight.data())).toEqual(Array(4).fill(Math.fround(0.1)));
    await expectSameArray(m.forward(X()), prelu(X(), full([4], 0.1, "float32")));
  });

  it("PReLU uses its current weight, after an update", async () => {
    const m = new PReLU({ numParameters: 4 });
    const w = array([0, 0.5, 1, 2], "float32");
    m.update({ weight: w });
    await expectSameArray(m.forward(X()), prelu(X(), w));
  });

  it("PReLU with float16 input promotes to float32 through the float32 weight", () => {
    expect(new PReLU().forward(array([1, -1], "float16")).dtype).toBe("float32");
  });

  it("forward accepts the same inputs as the functions (numbers, nested lists, typed arrays)", async () => {
    const m = new PReLU();
    expect(await m.forward(-2).data()).toEqual(new Float32Array([-0.5]));
    expect(Array.from(await m.forward([[-4, 4]]).data())).toEqual([-1, 4]);
    expect(Array.from(await m.forward(new Float32Array([-8])).data())).toEqual([-2]);
  });
});
