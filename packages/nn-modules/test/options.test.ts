import { NnkitError } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import {
  CELU,
  ELU,
  GELU,
  GLU,
  HardShrink,
  HardTanh,
  LeakyReLU,
  MODULES,
  PReLU,
  ReLU,
  Softmax,
  Softshrink,
  Step,
} from "../src/index.js";
import "./helpers.js";

describe("constructor options", () => {
  it("defaults are MLX's", () => {
    expect(new ELU().alpha).toBe(1);
    expect(new CELU().alpha).toBe(1);
    expect(new GELU().approx).toBe("none");
    expect(new GLU().axis).toBe(-1);
    expect(new LeakyReLU().negativeSlope).toBe(0.01);
    expect(new Softshrink().lambd).toBe(0.5);
    expect(new HardShrink().lambd).toBe(0.5);
    expect(new Step().threshold).toBe(0);
    expect(new Softmax().axis).toBe(-1);
    expect([new HardTanh().minVal, new HardTanh().maxVal]).toEqual([-1, 1]);
    const p = new PReLU();
    expect(p.numParameters).toBe(1);
    expect(p.weight.shape).toEqual([1]);
    expect(p.weight.tolist()).toEqual([0.25]);
  });

  it("given options are kept", () => {
    expect(new ELU({ alpha: 1.1 }).alpha).toBe(1.1);
    expect(new GELU({ approx: "tanh" }).approx).toBe("tanh");
    expect(new PReLU({ numParameters: 4, init: 0.5 }).weight.tolist()).toEqual([
      0.5, 0.5, 0.5, 0.5,
    ]);
    expect(new Softmax({ axis: [0, 1] }).axis).toEqual([0, 1]);
    // An explicit undefined means the default.
    expect(new ELU({ alpha: undefined }).alpha).toBe(1);
  });

  it("GELU rejects other approximations, naming the allowed values", () => {
    const bad = () => new GELU({ approx: "erf" as never });
    expect(bad).toThrow(NnkitError);
    expect(bad).toThrow('GELU: approx must be one of "none", "precise", "tanh", "fast"; got "erf"');
  });

  it("unknown option keys throw, naming the class and what it accepts", () => {
    expect(() => new ELU({ alhpa: 2 } as never)).toThrow(
      'ELU: unknown option "alhpa"; ELU accepts alpha',
    );
    expect(() => new HardTanh({ min_val: 0 } as never)).toThrow(
      'HardTanh: unknown option "min_val"; HardTanh accepts minVal, maxVal',
    );
    expect(() => new ReLU({ inplace: true } as never)).toThrow(
      'ReLU: takes no options; got "inplace"',
    );
  });

  it("wrong types throw, naming the class and option", () => {
    expect(() => new ELU({ alpha: "1" as never })).toThrow('ELU: alpha must be a number; got "1"');
    expect(() => new ELU({ alpha: Number.NaN })).toThrow("ELU: alpha must be a number; got NaN");
    expect(() => new CELU({ alpha: 0 })).toThrow(
      "CELU: alpha must be a number other than 0; got 0",
    );
    expect(() => new Softshrink({ lambd: -1 })).toThrow(
      "Softshrink: lambd must be a finite number >= 0; got -1",
    );
    expect(() => new HardShrink({ lambd: Number.POSITIVE_INFINITY })).toThrow("HardShrink: lambd");
    expect(() => new GLU({ axis: 1.5 })).toThrow("GLU: axis must be an integer; got 1.5");
    expect(() => new Softmax({ axis: [] })).toThrow(
      "Softmax: axis must be an integer or a non-empty list of integers; got []",
    );
    expect(() => new PReLU({ numParameters: 0 })).toThrow(
      "PReLU: numParameters must be a positive integer; got 0",
    );
    expect(() => new PReLU({ numParameters: 2.5 })).toThrow("PReLU: numParameters");
    expect(() => new PReLU({ init: null as never })).toThrow(
      "PReLU: init must be a number; got null",
    );
    expect(() => new Step({ threshold: true as never })).toThrow(
      "Step: threshold must be a number",
    );
    expect(() => new LeakyReLU(0.1 as never)).toThrow(
      "LeakyReLU: expected an options object like { negativeSlope }; got number",
    );
    expect(() => new ReLU([] as never)).toThrow("ReLU: expected no options; got list");
  });

  it("HardTanh refuses minVal above maxVal; infinities are allowed for one-sided clamps", () => {
    expect(() => new HardTanh({ minVal: 2, maxVal: 1 })).toThrow(
      "HardTanh: minVal (2) must not be greater than maxVal (1)",
    );
    expect(new HardTanh({ minVal: Number.NEGATIVE_INFINITY, maxVal: 0 }).minVal).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it("every module accepts no argument and an empty object", () => {
    for (const m of MODULES) {
      expect(() => new m.cls()).not.toThrow();
      expect(() => m.create({})).not.toThrow();
    }
  });

  it("options are not state and not parameters", () => {
    const e = new ELU({ alpha: 2 });
    expect(Object.keys(e)).toEqual([]);
    expect(e.parameters()).toEqual({});
    expect(Object.keys(new GLU({ axis: 0 }).state)).toEqual([]);
  });
});

describe("toString", () => {
  it("shows nothing for defaults, as MLX's repr", () => {
    expect(String(new ReLU())).toBe("ReLU()");
    expect(String(new GELU())).toBe("GELU()");
    expect(String(new ELU())).toBe("ELU()");
    expect(String(new Softmax())).toBe("Softmax()");
  });

  it("shows options that differ from the defaults", () => {
    expect(String(new GELU({ approx: "tanh" }))).toBe('GELU(approx="tanh")');
    expect(String(new GELU({ approx: "fast" }))).toBe('GELU(approx="fast")');
    expect(String(new ELU({ alpha: 1.1 }))).toBe("ELU(alpha=1.1)");
    expect(String(new HardTanh({ minVal: -2, maxVal: 2 }))).toBe("HardTanh(minVal=-2, maxVal=2)");
    expect(String(new Softmax({ axis: [0, 1] }))).toBe("Softmax(axis=[0, 1])");
    expect(String(new Step({ threshold: 1 }))).toBe("Step(threshold=1)");
  });

  it("always shows PReLU's numParameters", () => {
    expect(String(new PReLU({ numParameters: 4 }))).toBe("PReLU(numParameters=4)");
    expect(String(new PReLU())).toBe("PReLU(numParameters=1)");
    expect(String(new PReLU({ numParameters: 2, init: 0.1 }))).toBe(
      "PReLU(numParameters=2, init=0.1)",
    );
  });

  it("every module's name is its MLX class name", () => {
    for (const m of MODULES) expect(String(m.create())).toMatch(new RegExp(`^${m.name}\\(`));
  });
});
