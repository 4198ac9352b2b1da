import type { BinaryOp, DType, ExprNode, FusedExpr, StridedView, UnaryOp } from "@nnkit/core";
import * as mx from "@nnkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { compileSimdModule } from "../src/wasm/compile-simd.js";
import { CHUNK, wasmSimdAvailable } from "../src/wasm/runtime.js";
import { SIMD_BINARY, SIMD_UNARY } from "../src/wasm/support.js";

// The WebAssembly SIMD path must give the compiled JavaScript path's bits exactly (NaN payloads
// aside: IEEE leaves them unspecified, so any NaN matches any NaN).

const F32_MAX = 3.4028234663852886e38;
const SPECIALS = [
  Number.NaN,
  -Number.NaN,
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  F32_MAX,
  -F32_MAX,
  2 ** -149,
  -(2 ** -149),
  2 ** -126 - 2 ** -149,
  2 ** -126,
  -(2 ** -126),
  1,
  -1,
  0.5,
  -0.5,
  3,
  -3,
  6,
  -6,
  1e-30,
  -1e30,
  0.1,
];

/** Specials, all their pairs' neighbours, then random bit patterns; length not a multiple of 4. */
function testValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    if (i < SPECIALS.length * 4) {
      out[i] = SPECIALS[(i * (seed | 1)) % SPECIALS.length] as number;
    } else {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      bits[i] = s ^ (s >>> 13);
      // Bias some lanes toward small magnitudes, where activations bend.
      if (i % 3 === 0) out[i] = ((s % 20001) - 10000) / 1000;
    }
  }
  return out;
}

function expectSameBits(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i]) continue;
    if (Number.isNaN(actual[i]) && Number.isNaN(expected[i])) continue;
    throw new Error(
      `${what}: element ${i}: wasm ${actual[i]} (0x${a[i]?.toString(16)}) vs js ${expected[i]} (0x${e[i]?.toString(16)})`,
    );
  }
}

function expr(nodes: ExprNode[], inputDtypes: DType[], scalarCount: number): FusedExpr {
  const out = nodes[nodes.length - 1] as ExprNode;
  return { nodes, inputDtypes, scalarCount, outDtype: out.dtype, key: JSON.stringify(nodes) };
}

const N = 2 * CHUNK + 7;

/** nn-functions' x·gate(x) activations return -0 at -inf. */
function atMinusInf(a: mx.Array, value: mx.Array): mx.Array {
  return mx.where(mx.equal(a, Number.NEGATIVE_INFINITY), -0, value);
}

describe.runIf(wasmSimdAvailable())("WebAssembly SIMD path", () => {
  const js = new CpuBackend({ name: "wasm-test-js", mode: "compiled" });
  const wasm = new CpuBackend({ name: "wasm-test-wasm", mode: "wasm", math: "reproducible" });

  /** Runs `e` on both backends over the same inputs; returns [wasm, js] outputs. */
  function runBoth(
    e: FusedExpr,
    data: Float32Array[],
    scalars: number[],
    strides: number[][] = data.map(() => [1]),
    shape = [N],
  ): [Float32Array, Float32Array] {
    const results = [wasm, js].map((b) => {
      const bufs = data.map((d) => b.upload("float32", d));
      const views: StridedView[] = bufs.map((buffer, i) => ({
        buffer,
        offset: 0,
        strides: strides[i] as number[],
      }));
      const out = b.elementwise(e, views, scalars, shape);
      const values = b.readSync(out) as Float32Array;
      out.release();
      for (const buf of bufs) buf.release();
      return values;
    });
    return results as [Float32Array, Float32Array];
  }

  it("runs in the default mode", () => {
    expect(wasm.mode).toBe("wasm");
  });

  const x = testValues(N, 7);
  const y = testValues(N, 11);

  for (const op of SIMD_UNARY) {
    const dtype: DType = ["isnan", "isinf", "logicalNot"].includes(op) ? "bool" : "float32";
    it(`unary ${op} matches the JavaScript bits`, () => {
      const nodes: ExprNode[] = [
        { kind: "input", index: 0, dtype: "float32" },
        { kind: "unary", op: op as UnaryOp, arg: 0, dtype },
      ];
      if (dtype !== "float32") nodes.push({ kind: "cast", arg: 1, dtype: "float32" });
      const before = wasm.elementwiseRuns.wasm;
      const [w, j] = runBoth(expr(nodes, ["float32"], 0), [x], []);
      expect(wasm.elementwiseRuns.wasm).toBe(before + 1);
      expectSameBits(w, j, op);
    });
  }

  for (const op of SIMD_BINARY) {
    const compare = ![
      "add",
      "subtract",
      "multiply",
      "divide",
      "maximum",
      "minimum",
      "logaddexp",
    ].includes(op);
    const dtype: DType = compare ? "bool" : "float32";
    it(`binary ${op} matches the JavaScript bits (array, broadcast and scalar operands)`, () => {
      const cases: [string, ExprNode, Float32Array[], number[], number[][]][] = [
        ["array", { kind: "input", index: 1, dtype: "float32" }, [x, y], [], [[1], [1]]],
        ...SPECIALS.map((c): [string, ExprNode, Float32Array[], number[], number[][]] => [
          `broadcast ${c}`,
          { kind: "input", index: 1, dtype: "float32" },
          [x, new Float32Array([c])],
          [],
          [[1], [0]],
        ]),
        ...SPECIALS.map((c): [string, ExprNode, Float32Array[], number[], number[][]] => [
          `scalar ${c}`,
          { kind: "scalar", index: 0, dtype: "float32" },
          [x],
          [c],
          [[1]],
        ]),
      ];
      for (const [what, rhs, data, scalars, strides] of cases) {
        for (const swap of [false, true]) {
          const nodes: ExprNode[] = [
            { kind: "input", index: 0, dtype: "float32" },
            rhs,
            { kind: "binary", op: op as BinaryOp, lhs: swap ? 1 : 0, rhs: swap ? 0 : 1, dtype },
          ];
          if (compare) nodes.push({ kind: "cast", arg: 2, dtype: "float32" });
          const e = expr(
            nodes,
            data.map(() => "float32"),
            scalars.length,
          );
          const before = wasm.elementwiseRuns.wasm;
          const [w, j] = runBoth(e, data, scalars, strides);
          expect(wasm.elementwiseRuns.wasm).toBe(before + 1);
          expectSameBits(w, j, `${op} ${what}${swap ? " swapped" : ""}`);
        }
      }
    });
  }

  it("where, casts and a select on a NaN condition match", () => {
    const nodes: ExprNode[] = [
      { kind: "input", index: 0, dtype: "float32" },
      { kind: "input", index: 1, dtype: "float32" },
      { kind: "binary", op: "multiply", lhs: 0, rhs: 1, dtype: "float32" },
      // cond is x itself: NaN is true, ±0 false.
      { kind: "where", cond: 0, a: 2, b: 1, dtype: "float32" },
      { kind: "cast", arg: 3, dtype: "bool" },
      { kind: "cast", arg: 2, dtype: "float32" },
      { kind: "binary", op: "add", lhs: 4, rhs: 5, dtype: "float32" },
      { kind: "where", cond: 4, a: 6, b: 3, dtype: "float32" },
    ];
    const [w, j] = runBoth(expr(nodes, ["float32", "float32"], 0), [x, y], []);
    expectSameBits(w, j, "where/cast chain");
  });

  it("an expression of constants only (hoisted) fills the output", () => {
    const nodes: ExprNode[] = [
      { kind: "input", index: 0, dtype: "float32" },
      { kind: "scalar", index: 0, dtype: "float32" },
      { kind: "binary", op: "divide", lhs: 0, rhs: 1, dtype: "float32" },
    ];
    const [w, j] = runBoth(expr(nodes, ["float32"], 1), [new Float32Array([1])], [3], [[0]]);
    expectSameBits(w, j, "constants");
    expect(w[N - 1]).toBe(Math.fround(1 / 3));
  });

  it("hoists transcendental nodes of scalars and constant inputs", () => {
    for (const c of SPECIALS) {
      const nodes: ExprNode[] = [
        { kind: "input", index: 0, dtype: "float32" },
        { kind: "scalar", index: 0, dtype: "float32" },
        { kind: "input", index: 1, dtype: "float32" },
        { kind: "unary", op: "erfc", arg: 1, dtype: "float32" },
        { kind: "binary", op: "logaddexp", lhs: 2, rhs: 1, dtype: "float32" },
        { kind: "unary", op: "tanh", arg: 4, dtype: "float32" },
        { kind: "binary", op: "multiply", lhs: 0, rhs: 3, dtype: "float32" },
        { kind: "binary", op: "add", lhs: 6, rhs: 5, dtype: "float32" },
      ];
      const e = expr(nodes, ["float32", "float32"], 1);
      const before = wasm.elementwiseRuns.wasm;
      const [w, j] = runBoth(e, [x, new Float32Array([0.75])], [c], [[1], [0]]);
      expect(wasm.elementwiseRuns.wasm).toBe(before + 1);
      expectSameBits(w, j, `hoisted, scalar ${c}`);
    }
  });

  describe("fused activations through core", () => {
    const activations: [string, (x: mx.Array, y: mx.Array) => mx.Array][] = [
      ["relu", (a) => mx.maximum(a, 0)],
      ["relu6", (a) => mx.minimum(mx.maximum(a, 0), 6)],
      ["leakyRelu (maximum)", (a) => mx.maximum(mx.multiply(a, 0.01), a)],
      ["leakyRelu (where)", (a) => mx.where(mx.greater(a, 0), a, mx.multiply(a, 0.01))],
      ["hardTanh", (a) => mx.minimum(mx.maximum(a, -1), 1)],
      [
        "hardswish",
        (a) => mx.divide(mx.multiply(a, mx.minimum(mx.maximum(mx.add(a, 3), 0), 6)), 6),
      ],
      ["softsign", (a) => mx.divide(a, mx.add(1, mx.abs(a)))],
      // The transcendental activations, written as nn-functions writes them (x·gate(x) ones
      // with its where at -inf).
      ["sigmoid", (a) => mx.sigmoid(a)],
      ["silu", (a) => atMinusInf(a, mx.multiply(a, mx.sigmoid(a)))],
      ["geluFastApprox", (a) => atMinusInf(a, mx.multiply(a, mx.sigmoid(mx.multiply(a, 1.702))))],
      [
        "geluApprox",
        (a) => {
          const cubic = mx.add(a, mx.multiply(mx.multiply(mx.multiply(a, a), a), 0.044715));
          return atMinusInf(a, mx.multiply(a, mx.sigmoid(mx.multiply(cubic, 1.5957691216057308))));
        },
      ],
      ["softplus", (a) => mx.logaddexp(a, 0)],
      ["logSigmoid", (a) => mx.negative(mx.logaddexp(mx.negative(a), 0))],
      ["elu", (a) => mx.where(mx.greater(a, 0), a, mx.multiply(mx.expm1(a), 1))],
      [
        "selu",
        (a) =>
          mx.multiply(mx.where(mx.greater(a, 0), a, mx.multiply(mx.expm1(a), 1.67326)), 1.0507),
      ],
      [
        "celu",
        (a) =>
          mx.add(mx.maximum(a, 0), mx.multiply(mx.expm1(mx.divide(mx.minimum(a, 0), 0.7)), 0.7)),
      ],
      ["tanh", (a) => mx.tanh(a)],
      ["mish", (a) => atMinusInf(a, mx.multiply(a, mx.tanh(mx.logaddexp(a, 0))))],
      [
        "gelu (erfc form)",
        (a) => atMinusInf(a, mx.multiply(mx.multiply(a, 0.5), mx.erfc(mx.divide(a, -Math.SQRT2)))),
      ],
      [
        "gelu (erf form)",
        (a) => mx.multiply(mx.multiply(a, 0.5), mx.add(1, mx.erf(mx.multiply(a, Math.SQRT1_2)))),
      ],
      ["erf, erfc", (a, b) => mx.subtract(mx.erf(a), mx.erfc(mx.divide(b, 4)))],
      // Inner nodes produce doubles that are not float32 values (products, quotients, sums).
      [
        "erfc of -x^2, tanh of 2|x|",
        (a, b) =>
          mx.add(mx.erfc(mx.negative(mx.multiply(a, a))), mx.tanh(mx.multiply(mx.abs(b), 2.5))),
      ],
      [
        "exp/log of products",
        (a, b) => mx.add(mx.exp(mx.multiply(a, b)), mx.log(mx.abs(mx.divide(a, b)))),
      ],
      [
        "expm1/log1p of sums",
        (a, b) =>
          mx.multiply(mx.expm1(mx.add(a, mx.multiply(b, 1e-3))), mx.log1p(mx.multiply(a, b))),
      ],
      ["logaddexp of quotients", (a, b) => mx.logaddexp(mx.divide(a, 3), mx.multiply(b, a))],
      [
        "where/compare chain",
        (a, b) =>
          mx.where(
            mx.logicalNot(mx.lessEqual(a, b)),
            mx.sign(a).multiply(mx.sqrt(mx.abs(b))),
            mx.where(mx.isnan(a), mx.square(b), mx.negative(mx.subtract(a, b))),
          ),
      ],
      [
        "offset views (split)",
        (a, b) => {
          const [, a1] = mx.split(a, 5);
          const [, , b2] = mx.split(b, 5);
          return mx.where(mx.greater(a1 as mx.Array, 0), a1 as mx.Array, b2 as mx.Array);
        },
      ],
      [
        "broadcast one-element array",
        (a) => mx.multiply(mx.add(a, mx.array(new Float32Array([-0.1]))), mx.array([3])),
      ],
    ];

    beforeAll(() => {
      mx.registerBackend(js.name, () => js);
      mx.registerBackend(wasm.name, () => wasm);
    });
    afterAll(async () => {
      await mx.setDefaultDevice("cpu");
    });

    async function onBackend(
      name: string,
      fn: (x: mx.Array, y: mx.Array) => mx.Array,
    ): Promise<Float32Array> {
      await mx.setDefaultDevice(name);
      const a = mx.array(x);
      const b = mx.array(y);
      const r = fn(a, b);
      const values = (await r.data()) as Float32Array;
      for (const arr of [a, b, r]) arr.dispose();
      return values;
    }

    for (const [name, fn] of activations) {
      it(`${name} runs as one SIMD kernel with the JavaScript bits`, async () => {
        const before = { ...wasm.elementwiseRuns };
        const w = await onBackend(wasm.name, fn);
        expect(wasm.elementwiseRuns.wasm).toBeGreaterThan(before.wasm);
        expect(wasm.elementwiseRuns.compiled).toBe(before.compiled);
        const j = await onBackend(js.name, fn);
        expectSameBits(w, j, name);
      });
    }

    it("falls back to compiled JavaScript for what SIMD does not cover", async () => {
      const fallbacks: [string, (x: mx.Array, y: mx.Array) => mx.Array][] = [
        ["power", (a, b) => mx.power(a, b)],
        ["erfinv", (a) => mx.erfinv(mx.multiply(a, 0.1))],
        ["strided input", (a) => mx.maximum(a.reshape([5, -1]).transpose(), 0)],
        ["int32", (a) => mx.abs(a.astype("int32"))],
        ["bool output", (a) => mx.greater(a, 0)],
      ];
      for (const [name, fn] of fallbacks) {
        const before = { ...wasm.elementwiseRuns };
        const w = await onBackend(wasm.name, fn);
        expect(wasm.elementwiseRuns.compiled, name).toBeGreaterThan(before.compiled);
        expect(wasm.elementwiseRuns.wasm, name).toBe(before.wasm);
        const j = await onBackend(js.name, fn);
        expect(Array.from(w), name).toEqual(Array.from(j));
      }
      expect(wasm.wasmFallbackReasons().length).toBeGreaterThan(0);
    });

    it("does not leak buffers or grow its staging memory with repeated runs", async () => {
      const fn = activations[5]?.[1] as (x: mx.Array, y: mx.Array) => mx.Array;
      await onBackend(wasm.name, fn);
      // Buffers still held by earlier tests' undisposed constants stay as they are.
      const live = wasm.liveBuffers();
      const bytes = wasm.wasmMemoryBytes;
      expect(bytes).toBeGreaterThan(0);
      for (let i = 0; i < 20; i++) await onBackend(wasm.name, fn);
      expect(wasm.wasmMemoryBytes).toBe(bytes);
      expect(wasm.liveBuffers()).toBe(live);
    });
  });

  it("reuses released output storage and never hands out an uploaded array", () => {
    const e = expr(
      [
        { kind: "input", index: 0, dtype: "float32" },
        { kind: "unary", op: "negative", arg: 0, dtype: "float32" },
      ],
      ["float32"],
      0,
    );
    const wasm = new CpuBackend({ name: "wasm-pool-test", mode: "wasm", heap: false });
    expect(wasm.storage).toBe("javascript");
    const mine = new Float32Array([1, 2, 3]);
    const input = wasm.upload("float32", mine);
    const view = { buffer: input, offset: 0, strides: [1] };
    const first = wasm.elementwise(e, [view], [], [3]);
    first.release();
    expect(wasm.pooledBytes).toBe(12);
    const second = wasm.elementwise(e, [view], [], [3]);
    expect(wasm.pooledBytes).toBe(0);
    expect(Array.from(wasm.readSync(second))).toEqual([-1, -2, -3]);
    input.release();
    second.release();
    expect(wasm.pooledBytes).toBe(12); // the uploaded array was not pooled
    expect(Array.from(mine)).toEqual([1, 2, 3]);
    expect(wasm.liveBuffers()).toBe(0);
  });

  it("emits small modules that validate", () => {
    const e = expr(
      [
        { kind: "input", index: 0, dtype: "float32" },
        { kind: "unary", op: "abs", arg: 0, dtype: "float32" },
      ],
      ["float32"],
      0,
    );
    const bytes = compileSimdModule(e, ["contiguous"]);
    const api = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api?.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(400);
  });
});
