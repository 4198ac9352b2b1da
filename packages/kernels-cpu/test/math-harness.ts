import { type WasmApi, wasmApi } from "../src/wasm/api.js";
import { encodeModule, FunctionBody } from "../src/wasm/encoder.js";
import { MathLibrary, type MathPrecision } from "../src/wasm/math/index.js";
import { Op, Simd, ValType, VOID_BLOCK } from "../src/wasm/opcodes.js";

// Drives one vector math function over f64 arrays, and makes the arguments the math tests use.

/** Per batch; three f64 arrays of this length fit the 64 KiB pages the harness allocates. */
export const BATCH = 1 << 14;

/** A module whose export "run"(a, b, out, bytes) maps f64 arrays through one math function. */
export function harness(op: string, arity: 1 | 2, precision: MathPrecision) {
  const f = new FunctionBody(4);
  const math = new MathLibrary(1, precision);
  const fn = math.index(op);
  const offset = f.local(ValType.i32);
  const lo = f.local(ValType.v128);
  const hi = f.local(ValType.v128);
  // Each call takes two vectors per argument (the kernels' low and high halves).
  f.op(Op.block).code.byte(VOID_BLOCK);
  f.op(Op.loop).code.byte(VOID_BLOCK);
  f.get(offset).get(3).op(Op.i32GeU).op(Op.brIf).code.u32(1);
  for (let arg = 0; arg < arity; arg++) {
    for (const half of [0, 16])
      f.get(arg).get(offset).op(Op.i32Add).simd(Simd.v128Load).memarg(4, half);
  }
  f.op(Op.call).code.u32(fn);
  f.set(hi).set(lo);
  f.get(2).get(offset).op(Op.i32Add).get(lo).simd(Simd.v128Store).memarg(4);
  f.get(2).get(offset).op(Op.i32Add).get(hi).simd(Simd.v128Store).memarg(4, 16);
  f.get(offset).op(Op.i32Const).code.i32(32);
  f.op(Op.i32Add).set(offset);
  f.op(Op.br).code.u32(0);
  f.op(Op.end).op(Op.end);
  const params = [ValType.i32, ValType.i32, ValType.i32, ValType.i32];
  const bytes = encodeModule(
    [{ params, results: [], body: f, exportName: "run" }, ...math.functions()],
    undefined,
    math.constants(),
  );
  const api = wasmApi() as WasmApi;
  const memory = new api.Memory({ initial: Math.ceil((3 * BATCH * 8) / 65536) });
  const instance = new api.Instance(new api.Module(bytes), { env: { memory } });
  const run = instance.exports.run as (a: number, b: number, out: number, bytes: number) => void;
  const a = new Float64Array(memory.buffer, 0, BATCH);
  const b = new Float64Array(memory.buffer, BATCH * 8, BATCH);
  const out = new Float64Array(memory.buffer, 2 * BATCH * 8, BATCH);
  return { a, b, out, run: () => run(0, BATCH * 8, 2 * BATCH * 8, BATCH * 8) };
}

/** Specials and the branch boundaries of fdlibm's exp/expm1/log/log1p and nnkit's tanh/erf. */
const EDGES = [
  0,
  1,
  2,
  0.5,
  2 ** -1074,
  2 ** -1022,
  2 ** -1022 - 2 ** -1074,
  Number.MAX_VALUE,
  2 ** -28,
  2 ** -29,
  2 ** -54,
  2 ** -56,
  2 ** 53,
  0.34657359027997264,
  1.0397207708399179,
  38.816242111356935,
  709.782712893384,
  745.1332191019411,
  745.2,
  0.41421356237309503,
  0.2928932188134524,
  Math.SQRT2,
  Math.SQRT1_2,
  0.015625,
  0.25,
  0.84375,
  1.25,
  2.857142857142857,
  6,
  22,
  27.2,
  28,
  3.725290298461914e-9,
  1.3877787807814457e-17,
  1e-300,
];

/**
 * Every pair of edge values (the first edges.length·12 elements), then edges in `a` against
 * whatever `b` already holds (random values).
 */
export function fillEdgePairs(a: Float64Array, b: Float64Array, edges: readonly number[]): void {
  for (let i = 0; i < a.length; i++) {
    a[i] = edges[i % edges.length] as number;
    if (i < edges.length * 12)
      b[i] = edges[(Math.floor(i / edges.length) * 37) % edges.length] as number;
  }
}

/** Edges with both signs and neighbours up to 64 ulp away, then NaN and ±inf. */
export function edgeValues(): number[] {
  const out: number[] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
  const bits = new BigInt64Array(1);
  const value = new Float64Array(bits.buffer);
  for (const e of EDGES) {
    for (const d of [-64, -16, -4, -3, -2, -1, 0, 1, 2, 3, 4, 16, 64]) {
      value[0] = e;
      bits[0] = (bits[0] as bigint) + BigInt(d);
      out.push(value[0] as number, -(value[0] as number));
    }
  }
  return out;
}

/** A deterministic mix: raw bit patterns, and uniform values at scales where the ops bend. */
export function fill(values: Float64Array, seed: number, batch: number): void {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    switch ((i + batch) % 4) {
      case 0:
        words[2 * i] = next();
        words[2 * i + 1] = next();
        break;
      case 1:
        values[i] = (next() / 2 ** 32 - 0.5) * 2 ** ((next() % 16) - 6);
        break;
      case 2:
        values[i] = (next() / 2 ** 32 - 0.5) * 1600;
        break;
      default:
        values[i] = Math.fround((next() / 2 ** 32 - 0.5) * 2 ** ((next() % 40) - 20));
    }
  }
}
