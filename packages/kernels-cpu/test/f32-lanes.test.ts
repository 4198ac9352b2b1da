import type { DType, ExprNode, FusedExpr } from "@nnkit/core";
import * as mx from "@nnkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { f32Plan, scalarsFitF32 } from "../src/wasm/f32-exact.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";

function expr(nodes: ExprNode[], inputDtypes: DType[], scalarCount: number): FusedExpr {
  const out = nodes[nodes.length - 1] as ExprNode;
  return { nodes, inputDtypes, scalarCount, outDtype: out.dtype, key: JSON.stringify(nodes) };
}

const x0: ExprNode = { kind: "input", index: 0, dtype: "float32" };
const s0: ExprNode = { kind: "scalar", index: 0, dtype: "float32" };

describe("f32Plan: which expressions float32 lanes compute exactly", () => {
  it("accepts max/min/select/compare chains and one rounding op on exact operands", () => {
    const relu6 = expr(
      [
        x0,
        s0,
        { kind: "binary", op: "maximum", lhs: 0, rhs: 1, dtype: "float32" },
        { kind: "scalar", index: 1, dtype: "float32" },
        { kind: "binary", op: "minimum", lhs: 2, rhs: 3, dtype: "float32" },
      ],
      ["float32"],
      2,
    );
    expect(f32Plan(relu6)?.scalars).toEqual([0, 1]);
    // softshrink's branch: x - lambd is one rounding, then selected.
    const shrink = expr(
      [
        x0,
        s0,
        { kind: "binary", op: "subtract", lhs: 0, rhs: 1, dtype: "float32" },
        { kind: "binary", op: "greater", lhs: 0, rhs: 1, dtype: "bool" },
        { kind: "where", cond: 3, a: 2, b: 1, dtype: "float32" },
      ],
      ["float32"],
      1,
    );
    expect(f32Plan(shrink)).toBeDefined();
  });

  it("refuses arithmetic or compares on an already rounded value, and transcendental ops", () => {
    const twoRoundings = expr(
      [
        x0,
        s0,
        { kind: "binary", op: "add", lhs: 0, rhs: 1, dtype: "float32" },
        { kind: "binary", op: "multiply", lhs: 2, rhs: 0, dtype: "float32" },
      ],
      ["float32"],
      1,
    );
    expect(f32Plan(twoRoundings)).toBeUndefined();
    const compareRounded = expr(
      [
        x0,
        { kind: "unary", op: "square", arg: 0, dtype: "float32" },
        { kind: "binary", op: "greater", lhs: 1, rhs: 0, dtype: "bool" },
      ],
      ["float32"],
      0,
    );
    expect(f32Plan(compareRounded)).toBeUndefined();
    expect(
      f32Plan(expr([x0, { kind: "unary", op: "exp", arg: 0, dtype: "float32" }], ["float32"], 0)),
    ).toBeUndefined();
  });

  it("needs every scalar to be a float32 value at run time", () => {
    const plan = { scalars: [0, 1] };
    expect(scalarsFitF32(plan, [0.5, 6])).toBe(true);
    expect(scalarsFitF32(plan, [Number.NaN, Number.NEGATIVE_INFINITY])).toBe(true);
    expect(scalarsFitF32(plan, [0.01, 6])).toBe(false);
  });
});

describe.runIf(wasmSimdAvailable())("float32 lanes give the float64 kernels' bits", () => {
  const SPECIALS = [
    Number.NaN,
    0,
    -0,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    3.4028234663852886e38,
    -3.4028234663852886e38,
    2 ** -149,
    -(2 ** -149),
    2 ** -126,
    0.5,
    -0.5,
    1,
    -1,
    6,
    -6,
    3,
    -3,
  ];
  const n = 70_001;
  const values = new Float32Array(n);
  const bits = new Uint32Array(values.buffer);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    if (i < SPECIALS.length * 8) values[i] = SPECIALS[i % SPECIALS.length] as number;
    else if (i % 2 === 0) bits[i] = seed;
    else values[i] = ((seed % 200_001) - 100_000) / 10_000;
  }

  const lanes = new CpuBackend({ name: "f32-lanes", mode: "wasm", threads: 1 });
  const js = new CpuBackend({ name: "f32-lanes-js", mode: "compiled" });
  beforeAll(() => {
    mx.registerBackend("f32-lanes", () => lanes);
    mx.registerBackend("f32-lanes-js", () => js);
  });
  afterAll(async () => {
    await mx.setDefaultDevice("cpu");
  });

  const cases: [string, (x: mx.Array) => mx.Array][] = [
    ["relu", (x) => mx.maximum(x, 0)],
    ["relu6", (x) => mx.minimum(mx.maximum(x, 0), 6)],
    ["hardTanh", (x) => mx.minimum(mx.maximum(x, -1), 1)],
    ["step", (x) => mx.where(mx.greater(x, 0), 1, 0)],
    [
      "step as nn-functions writes it (int32 output)",
      (x) => mx.greaterEqual(x, 0.5).astype("int32"),
    ],
    [
      "step with a threshold that is not a float32 (int32 output, JavaScript)",
      (x) => mx.greaterEqual(x, 0.1).astype("int32"),
    ],
    [
      "softshrink as nn-functions writes it",
      (x) => mx.where(mx.greater(mx.abs(x), 0.5), mx.subtract(x, mx.multiply(mx.sign(x), 0.5)), 0),
    ],
    ["hardShrink", (x) => mx.where(mx.greater(mx.abs(x), 0.5), x, 0)],
    [
      "softshrink",
      (x) =>
        mx.where(
          mx.greater(x, 0.5),
          mx.subtract(x, 0.5),
          mx.where(mx.less(x, -0.5), mx.add(x, 0.5), 0),
        ),
    ],
    ["relu2", (x) => mx.square(mx.maximum(x, 0))],
    [
      "hardswish (float64 kernel)",
      (x) => mx.divide(mx.multiply(x, mx.minimum(mx.maximum(mx.add(x, 3), 0), 6)), 6),
    ],
    [
      "leakyRelu (0.01 is not a float32: float64 kernel)",
      (x) => mx.maximum(mx.multiply(x, 0.01), x),
    ],
    ["leakyRelu (0.25)", (x) => mx.maximum(mx.multiply(x, 0.25), x)],
  ];

  it("step's int32 output through staging (JavaScript storage) matches too", async () => {
    const staged = new CpuBackend({ name: "f32-lanes-staged", mode: "wasm", heap: false });
    mx.registerBackend("f32-lanes-staged", () => staged);
    const results: number[][] = [];
    for (const device of ["f32-lanes-staged", "f32-lanes-js"]) {
      await mx.setDefaultDevice(device);
      const x = mx.array(values);
      const y = mx.greaterEqual(x, 0.5).astype("int32");
      results.push(Array.from((await y.data()) as Int32Array));
      x.dispose();
      y.dispose();
    }
    expect(staged.elementwiseRuns.f32Lanes).toBe(1);
    expect(results[0]).toEqual(results[1]);
  });

  for (const [name, fn] of cases) {
    const f32 = !name.includes("float64 kernel") && !name.includes("JavaScript");
    it(`${name}${f32 ? " (float32 lanes)" : ""}`, async () => {
      const before = lanes.elementwiseRuns.f32Lanes;
      const outs: Uint32Array[] = [];
      const dtypes: string[] = [];
      for (const device of ["f32-lanes", "f32-lanes-js"]) {
        await mx.setDefaultDevice(device);
        const x = mx.array(values);
        const y = fn(x);
        const got = (await y.data()) as Float32Array | Int32Array;
        outs.push(new Uint32Array(got.buffer, got.byteOffset, got.length));
        dtypes.push(y.dtype);
        x.dispose();
        y.dispose();
      }
      expect(lanes.elementwiseRuns.f32Lanes - before).toBe(f32 ? 1 : 0);
      expect(dtypes[0]).toBe(dtypes[1]);
      const [a, b] = outs as [Uint32Array, Uint32Array];
      for (let i = 0; i < n; i++) {
        if (a[i] === b[i]) continue;
        const [va, vb] = [new Float32Array(a.buffer)[i], new Float32Array(b.buffer)[i]];
        if (Number.isNaN(va) && Number.isNaN(vb)) continue;
        throw new Error(`${name}: x=${values[i]}: lanes ${va} vs JavaScript ${vb}`);
      }
    });
  }
});
