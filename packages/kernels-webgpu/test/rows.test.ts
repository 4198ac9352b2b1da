import { ulpDistanceFloat32 } from "@nnkit/conformance";
import {
  type DeviceBuffer,
  type DType,
  NnkitError,
  type ReduceOp,
  randomBits,
  SOFTMAX_VARIANTS,
  type SoftmaxVariant,
  type StorageArray,
  type StridedView,
} from "@nnkit/core";
import { afterAll, describe, expect, it } from "vitest";
import type { WebGPUBackend } from "../src/index.js";
import { rowsTuning } from "../src/kernels/reduce.js";
import { mathLibrary } from "../src/wgsl/math/index.js";
import type { RowsStrategy } from "../src/wgsl/rows-reduce.js";
import { createDawnBackend } from "./dawn.js";

/**
 * Direct tests of the row kernels (reduce, softmax, concatenate, randomBits) through the
 * backend's methods, against float64 references that follow the CPU backend's definitions.
 * A second backend plans against tiny limits (1 KiB bindings, a 3×3 workgroup grid) so chunking
 * and the 2-D grid run on any device.
 */

const { backend, reason } = await createDawnBackend();
const small = backend
  ? (
      await createDawnBackend({
        name: "webgpu-small",
        kernelLimits: { maxStorageBufferBindingSize: 1024, maxComputeWorkgroupsPerDimension: 3 },
      })
    ).backend
  : undefined;

afterAll(() => {
  backend?.device.destroy();
  small?.device.destroy();
});

/** Deterministic uniform numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32 = Math.fround;

function storage(dtype: DType, values: readonly number[]): StorageArray {
  switch (dtype) {
    case "int32":
      return Int32Array.from(values);
    case "uint32":
      return Uint32Array.from(values);
    case "bool":
      return Uint8Array.from(values);
    default:
      return Float32Array.from(values);
  }
}

/** A strided view of `buffer`. */
interface View {
  readonly offset: number;
  readonly strides: readonly number[];
  readonly shape: readonly number[];
}

const contiguous = (shape: readonly number[]): View => {
  const strides = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--)
    strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  return { offset: 0, strides, shape };
};

/** The view of `v` with axes permuted. */
const permuted = (v: View, perm: readonly number[]): View => ({
  offset: v.offset,
  strides: perm.map((p) => v.strides[p] as number),
  shape: perm.map((p) => v.shape[p] as number),
});

/** Row-major multi-indices of `shape`. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = shape.map(() => 0);
  for (let k = 0; k < n; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

const at = (v: View, idx: readonly number[]) =>
  idx.reduce((o, i, d) => o + i * (v.strides[d] as number), v.offset);

/** Rows of `view` over `axes`: for each kept index (row-major), the reduced elements' offsets. */
function rowsOf(view: View, axes: readonly number[]): number[][] {
  const kept = view.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => view.shape[i] as number);
  const redShape = axes.map((i) => view.shape[i] as number);
  const rows: number[][] = [];
  for (const k of indices(keptShape)) {
    const row: number[] = [];
    for (const r of indices(redShape)) {
      const full = view.shape.map(() => 0);
      kept.forEach((ax, i) => {
        full[ax] = k[i] as number;
      });
      axes.forEach((ax, i) => {
        full[ax] = r[i] as number;
      });
      row.push(at(view, full));
    }
    rows.push(row);
  }
  return rows;
}

/** float64 reference of one reduction, as the CPU backend defines it. */
function reduceRef(
  op: ReduceOp,
  xs: readonly number[],
  intOut: false | "int32" | "uint32",
): number {
  if (op === "max" || op === "min" || op === "logsumexp") {
    if (xs.some(Number.isNaN)) return Number.NaN;
    const m = op === "min" ? Math.min(...xs) : Math.max(...xs);
    if (op !== "logsumexp" || !Number.isFinite(m)) return m;
    return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  }
  if (intOut) {
    const wrap = intOut === "uint32" ? (v: number) => v >>> 0 : (v: number) => v | 0;
    return xs.reduce((s, x) => wrap(s + x), 0);
  }
  let s = 0;
  let c = 0;
  for (const v of xs) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  const sum = Number.isFinite(s) ? s + c : s;
  return op === "mean" ? sum / xs.length : sum;
}

/** The CPU backend's definition in float64; softmin is softmax of the negated row. */
function softmaxRef(row: readonly number[], variant: SoftmaxVariant): number[] {
  const xs = variant === "softmin" ? row.map((v) => -v) : row;
  const log = variant === "logSoftmax";
  let m = Number.NEGATIVE_INFINITY;
  let arg = 0;
  xs.forEach((v, j) => {
    if (v > m || j === 0) {
      m = v;
      arg = j;
    }
  });
  if (xs.some(Number.isNaN) || !Number.isFinite(m)) return xs.map(() => Number.NaN);
  const t = xs.reduce((s, v, j) => (j === arg ? s : s + Math.exp(v - m)), 0);
  return log ? xs.map((v) => v - m - Math.log1p(t)) : xs.map((v) => Math.exp(v - m) / (1 + t));
}

const live = new Set<DeviceBuffer>();
function upload(b: WebGPUBackend, dtype: DType, values: readonly number[]): DeviceBuffer {
  const buf = b.upload(dtype, storage(dtype, values));
  live.add(buf);
  return buf;
}
async function readOut(b: WebGPUBackend, buf: DeviceBuffer): Promise<number[]> {
  const data = await b.read(buf);
  buf.release();
  return Array.from(data as ArrayLike<number>);
}
afterAll(() => {
  for (const b of live) b.release();
});

const sview = (buffer: DeviceBuffer, v: View): StridedView => ({
  buffer,
  offset: v.offset,
  strides: v.strides,
});

/** Worst ulp distance seen per op, printed at the end for the record. */
const worst = new Map<string, number>();
function note(op: string, ulps: number): void {
  worst.set(op, Math.max(worst.get(op) ?? 0, ulps));
}
afterAll(() => {
  if (worst.size > 0) {
    console.log(
      `row kernels, worst ulp vs float64 on ${backend?.adapterDescription}: ${[...worst]
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
  }
});

function expectUlps(op: string, got: readonly number[], want: readonly number[], maxUlp: number) {
  expect(got.length).toBe(want.length);
  const bad: string[] = [];
  got.forEach((g, i) => {
    const w = want[i] as number;
    const d = ulpDistanceFloat32(f32(w), g);
    note(op, d);
    if (d > maxUlp) bad.push(`[${i}] got ${g}, want ${f32(w)} (${d} ulp)`);
  });
  expect(bad.slice(0, 8), `${op}: elements beyond ${maxUlp} ulp`).toEqual([]);
}

/** Reduces `view` of `values` on `b` and checks it against the reference. */
async function checkReduce(
  b: WebGPUBackend,
  op: ReduceOp,
  dtype: DType,
  values: readonly number[],
  view: View,
  axes: readonly number[],
  maxUlp: number,
): Promise<void> {
  const intOut =
    op === "sum" && (dtype === "int32" || dtype === "uint32" || dtype === "bool")
      ? dtype === "uint32"
        ? "uint32"
        : "int32"
      : false;
  const outDtype: DType =
    intOut || ((op === "max" || op === "min") && dtype !== "float32") ? intOut || dtype : "float32";
  const buf = upload(b, dtype, values);
  const out = b.reduce(op, sview(buf, view), view.shape, axes, outDtype);
  const got = await readOut(b, out);
  const want = rowsOf(view, axes).map((row) =>
    reduceRef(
      op,
      row.map((o) => values[o] as number),
      intOut,
    ),
  );
  if (outDtype === "float32") expectUlps(op, got, want, maxUlp);
  else expect(got, `${op} ${dtype}`).toEqual(want);
}

async function checkSoftmax(
  b: WebGPUBackend,
  variant: SoftmaxVariant,
  dtype: DType,
  values: readonly number[],
  view: View,
  axes: readonly number[],
  maxUlp: number,
): Promise<void> {
  const buf = upload(b, dtype, values);
  const out = b.softmax(sview(buf, view), view.shape, axes, variant, "float32");
  const got = await readOut(b, out);
  const want = new Array<number>(got.length).fill(0);
  const outView = contiguous(view.shape);
  const inRows = rowsOf(view, axes);
  const outRows = rowsOf(outView, axes);
  inRows.forEach((row, r) => {
    const ref = softmaxRef(
      row.map((o) => values[o] as number),
      variant,
    );
    (outRows[r] as number[]).forEach((o, j) => {
      want[o] = ref[j] as number;
    });
  });
  expectUlps(variant, got, want, maxUlp);
}

function randomValues(n: number, seed: number, scale = 10): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => f32((r() * 2 - 1) * scale));
}

/** Runs `fn` with every row kernel forced to `strategy` (and a workgroup size). */
async function withStrategy(
  strategy: RowsStrategy,
  fn: () => Promise<void>,
  groupSize?: 64 | 256,
): Promise<void> {
  rowsTuning.strategy = strategy;
  rowsTuning.groupSize = groupSize;
  try {
    await fn();
  } finally {
    rowsTuning.strategy = undefined;
    rowsTuning.groupSize = undefined;
  }
}

/**
 * Each strategy forced (the automatic choice is always one of them): a thread per row, then a
 * workgroup per row for up to 64 rows (on SwiftShader each workgroup of 256 invocations costs
 * about 0.7 ms, and every new pipeline compiles for a while).
 */
async function eachStrategy(rows: number, fn: () => Promise<void>): Promise<void> {
  await withStrategy("thread", fn);
  if (rows <= 64) await withStrategy("group", fn);
}

const rowCount = (view: View, axes: readonly number[]) =>
  view.shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
const FLOAT_OPS: readonly ReduceOp[] = ["sum", "mean", "max", "min", "logsumexp"];

/** Layouts covering both strategies, strided, transposed, offset and broadcast inputs. */
function layouts(): { name: string; values: number[]; view: View; axes: number[] }[] {
  const v3 = randomValues(4 * 5 * 70, 1);
  const base3 = contiguous([4, 5, 70]);
  const big = randomValues(3 * 5000, 2);
  const cols = randomValues(40 * 4100, 3);
  return [
    { name: "last axis, short rows", values: v3, view: contiguous([4, 70, 5]), axes: [2] },
    { name: "last axis, long rows", values: v3, view: base3, axes: [2] },
    { name: "first axis", values: v3, view: base3, axes: [0] },
    { name: "axes [0, 2]", values: v3, view: base3, axes: [0, 2] },
    { name: "every axis", values: v3, view: base3, axes: [0, 1, 2] },
    {
      name: "transposed, axes [1, 2]",
      values: v3,
      view: permuted(base3, [2, 0, 1]),
      axes: [1, 2],
    },
    {
      name: "slice at an offset with gaps",
      values: v3,
      view: { offset: 71, strides: [350, 70, 1], shape: [3, 4, 60] },
      axes: [0, 2],
    },
    {
      name: "broadcast (zero strides)",
      values: v3,
      view: { offset: 5, strides: [0, 70, 0, 1], shape: [3, 4, 2, 60] },
      axes: [0, 3],
    },
    { name: "5000-element rows", values: big, view: contiguous([3, 5000]), axes: [1] },
    { name: "column sums of 4100 rows", values: cols, view: contiguous([4100, 40]), axes: [0] },
    {
      name: "many short strided rows",
      values: cols,
      view: permuted(contiguous([40, 4100]), [1, 0]),
      axes: [1],
    },
  ];
}

describe.skipIf(!backend)(`row kernels on webgpu${reason ? ` (${reason})` : ""}`, () => {
  const b = backend as WebGPUBackend;

  it("df_exp and df_log, as the row kernels call them, carry more than float32 precision and round within 1 ulp", async () => {
    const device = b.device;
    const n = 1 << 16;
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) xs[i] = f32(-103 + (191.7 * i) / n);
    const ls = new Float32Array(n);
    for (let i = 0; i < n; i++) ls[i] = f32(1 + (i % 2 === 0 ? i / n : 2 ** (i / 512)));
    const code = `${mathLibrary(["exp", "log"])}
@group(0) @binding(0) var<uniform> one_bits: vec4<u32>;
@group(0) @binding(1) var<storage, read> a: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read_write> o: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  nk_one_ = bitcast<f32>(one_bits.x);
  let i = g.x;
  if (i >= arrayLength(&a)) { return; }
  let e = df_exp(vec2<f32>(a[i].x, 0.0));
  let l = df_log(vec2<f32>(a[i].y, 0.0));
  o[i] = vec4<f32>(e.x, e.y, l.x, l.y);
}`;
    const pairs = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      pairs[2 * i] = xs[i] as number;
      pairs[2 * i + 1] = ls[i] as number;
    }
    const usage = GPUBufferUsage;
    const one = device.createBuffer({ size: 16, usage: usage.UNIFORM | usage.COPY_DST });
    device.queue.writeBuffer(one, 0, Uint32Array.of(0x3f800000, 0, 0, 0));
    const input = device.createBuffer({ size: 8 * n, usage: usage.STORAGE | usage.COPY_DST });
    device.queue.writeBuffer(input, 0, pairs);
    const output = device.createBuffer({ size: 16 * n, usage: usage.STORAGE | usage.COPY_SRC });
    const staging = device.createBuffer({ size: 16 * n, usage: usage.MAP_READ | usage.COPY_DST });
    const pipeline = await device.createComputePipelineAsync({
      layout: "auto",
      compute: { module: device.createShaderModule({ code }), entryPoint: "main" },
    });
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [one, input, output].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(n / 64);
    pass.end();
    encoder.copyBufferToBuffer(output, 0, staging, 0, 16 * n);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const r = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    for (const buf of [one, input, output]) buf.destroy();
    let expRel = 0;
    let logRel = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const e = Math.exp(x);
      const hi = r[4 * i] as number;
      const lo = r[4 * i + 1] as number;
      // SwiftShader flushes subnormals to zero, lo among them; judge where lo is normal.
      if (e > 2 ** -90) {
        const rel = Math.abs(hi + lo - e) / e;
        expRel = Math.max(expRel, rel);
        note("df_exp", ulpDistanceFloat32(f32(e), f32(hi + lo)));
      }
      const l = Math.log(ls[i] as number);
      const lh = r[4 * i + 2] as number;
      const ll = r[4 * i + 3] as number;
      if (l > 0) logRel = Math.max(logRel, Math.abs(lh + ll - l) / l);
      note("df_log", ulpDistanceFloat32(f32(l), f32(lh + ll)));
    }
    console.log(
      `df_exp relative error 2^${Math.log2(expRel).toFixed(1)}, df_log 2^${Math.log2(logRel).toFixed(1)}`,
    );
    expect(expRel).toBeLessThan(2 ** -27);
    expect(logRel).toBeLessThan(2 ** -27);
    expect(worst.get("df_exp")).toBeLessThanOrEqual(1);
    expect(worst.get("df_log")).toBeLessThanOrEqual(1);
  });

  describe("reductions against float64", () => {
    for (const l of layouts()) {
      it(`${l.name}: sum, mean, max, min, logsumexp`, async () => {
        await eachStrategy(rowCount(l.view, l.axes), async () => {
          for (const op of FLOAT_OPS)
            await checkReduce(b, op, "float32", l.values, l.view, l.axes, 1);
        });
      });
    }

    it("the GPU configuration (256-thread workgroups) agrees too", async () => {
      const values = randomValues(20 * 600, 30);
      values[1234] = NAN;
      await withStrategy(
        "group",
        async () => {
          for (const op of ["sum", "mean", "max", "logsumexp"] as const) {
            await checkReduce(b, op, "float32", values, contiguous([20, 600]), [1], 1);
          }
          for (const variant of SOFTMAX_VARIANTS) {
            await checkSoftmax(b, variant, "float32", values, contiguous([20, 600]), [1], 1);
          }
        },
        256,
      );
    });

    it("rows split into segments (the GPU's path for a few long rows) agree too", async () => {
      const values = randomValues(4 * 1000, 31);
      values[17] = NAN;
      values[1500] = INF;
      values[2500] = -INF;
      rowsTuning.segment = 128;
      try {
        await eachStrategy(4, async () => {
          for (const op of FLOAT_OPS) {
            await checkReduce(b, op, "float32", values, contiguous([4, 1000]), [1], 1);
            await checkReduce(b, op, "float32", values, contiguous([1000, 4]), [0], 1);
          }
          for (const variant of SOFTMAX_VARIANTS) {
            await checkSoftmax(b, variant, "float32", values, contiguous([4, 1000]), [1], 1);
          }
          const ints = values.map((x, i) => (Number.isFinite(x) ? Math.round(x * 2e8) : i));
          await checkReduce(b, "sum", "int32", ints, contiguous([4, 1000]), [1], 0);
          await checkReduce(b, "min", "int32", ints, contiguous([4, 1000]), [1], 0);
          await checkReduce(b, "mean", "int32", ints, contiguous([4, 1000]), [1], 0);
        });
      } finally {
        rowsTuning.segment = undefined;
      }
    });

    it("long rows stay accurate: 200k elements, sums of mixed magnitudes", async () => {
      await eachStrategy(2, async () => {
        const r = rng(9);
        const values = Array.from({ length: 200_000 }, (_, i) =>
          f32((r() - 0.3) * 10 ** ((i % 7) - 3)),
        );
        for (const op of FLOAT_OPS)
          await checkReduce(b, op, "float32", values, contiguous([2, 100_000]), [1], 1);
        await checkReduce(b, "sum", "float32", values, contiguous([200_000]), [0], 1);
      });
    });

    it("sums that defeat a float32 running sum", async () => {
      await eachStrategy(50, async () => {
        const tenths = Array.from({ length: 1000 }, () => f32(0.1));
        await checkReduce(b, "sum", "float32", tenths, contiguous([1000]), [0], 0);
        await checkReduce(b, "sum", "float32", tenths, contiguous([50, 20]), [1], 0);
        const big = [2 ** 24, ...Array.from({ length: 64 }, () => 1)];
        await checkReduce(b, "sum", "float32", big, contiguous([65]), [0], 0);
        await checkReduce(b, "mean", "float32", big, contiguous([65]), [0], 0);
        // Cancellation across 2^27: double-f32 partials carry 48 bits, so 1 ulp may be lost.
        const cancel = [1e8, 1, -1e8, 1e-3, 3e7, -3e7];
        await checkReduce(b, "sum", "float32", cancel.map(f32), contiguous([6]), [0], 1);
      });
    });

    it("NaN and infinities, in short and long rows", async () => {
      await eachStrategy(10, async () => {
        const rows = [
          [NAN, 1, 2],
          [1, NAN, 2],
          [-INF, NAN, INF],
          [1, INF, 2],
          [INF, -INF, 0],
          [-INF, -INF, -INF],
          [0, -INF, -INF],
          [INF, INF, 1],
          [-1e30, -1e30, -1e30],
          [88, 88, 88],
        ];
        const flat = rows.flat();
        for (const op of FLOAT_OPS) {
          await checkReduce(b, op, "float32", flat, contiguous([rows.length, 3]), [1], 1);
          // The same rows padded to 200 elements with copies of their first entry (group strategy).
          const long = rows.flatMap((row) => [
            ...row,
            ...Array.from({ length: 197 }, () => row[0] as number),
          ]);
          await checkReduce(b, op, "float32", long, contiguous([rows.length, 200]), [1], 1);
        }
      });
    });

    it("integer sums wrap modulo 2^32; bool sums to int32; max and min stay integer", async () => {
      await eachStrategy(300, async () => {
        const ints = [2147483647, 1, -2147483648, -1, 16777216, 1, 5, -7];
        await checkReduce(b, "sum", "int32", ints, contiguous([8]), [0], 0);
        await checkReduce(b, "sum", "int32", ints, contiguous([4, 2]), [1], 0);
        const r = rng(4);
        const many = Array.from({ length: 3000 }, () => Math.floor((r() * 2 - 1) * 2 ** 31));
        await checkReduce(b, "sum", "int32", many, contiguous([3, 1000]), [1], 0);
        await checkReduce(b, "max", "int32", many, contiguous([3, 1000]), [1], 0);
        await checkReduce(b, "min", "int32", many, contiguous([1000, 3]), [0], 0);
        const us = many.map((v) => v >>> 0);
        await checkReduce(b, "sum", "uint32", us, contiguous([3, 1000]), [1], 0);
        await checkReduce(b, "max", "uint32", us, contiguous([30, 100]), [1], 0);
        await checkReduce(b, "min", "uint32", us, contiguous([3000]), [0], 0);
        const bools = many.map((v) => (v > 0 ? 1 : 0));
        await checkReduce(b, "sum", "bool", bools, contiguous([3, 1000]), [1], 0);
        await checkReduce(b, "max", "bool", bools, contiguous([300, 10]), [1], 0);
      });
    });

    it("mean and logsumexp of integers are float32, exact beyond 2^24", async () => {
      await eachStrategy(200, async () => {
        const r = rng(5);
        const many = Array.from({ length: 2000 }, () => Math.floor((r() * 2 - 1) * 2 ** 31));
        await checkReduce(b, "mean", "int32", many, contiguous([2, 1000]), [1], 0);
        await checkReduce(b, "mean", "int32", many, contiguous([200, 10]), [1], 0);
        await checkReduce(
          b,
          "mean",
          "uint32",
          many.map((v) => v >>> 0),
          contiguous([2000]),
          [0],
          0,
        );
        await checkReduce(
          b,
          "mean",
          "bool",
          many.map((v) => (v > 0 ? 1 : 0)),
          contiguous([2000]),
          [0],
          0,
        );
        const small = many.map((v) => v % 50);
        await checkReduce(b, "logsumexp", "int32", small, contiguous([20, 100]), [1], 1);
      });
    });

    it("an empty reduced axis sums to 0 and means to NaN; empty outputs need no kernel", async () => {
      const buf = upload(b, "float32", [1]);
      const view = { buffer: buf, offset: 0, strides: [0, 1] };
      expect(await readOut(b, b.reduce("sum", view, [3, 0], [1], "float32"))).toEqual([0, 0, 0]);
      expect(await readOut(b, b.reduce("mean", view, [3, 0], [1], "float32"))).toEqual([
        NAN,
        NAN,
        NAN,
      ]);
      expect(await readOut(b, b.reduce("max", view, [0, 3], [1], "float32"))).toEqual([]);
    });

    it("one pipeline per op, dtypes, ranks and strategy, whatever the sizes", async () => {
      await checkReduce(b, "sum", "float32", randomValues(600, 6), contiguous([6, 100]), [1], 1);
      const before = b.pipelineCount;
      for (const n of [50, 77, 300]) {
        await checkReduce(b, "sum", "float32", randomValues(2 * n, n), contiguous([2, n]), [1], 1);
      }
      expect(b.pipelineCount).toBe(before);
    });
  });

  describe("softmax, logSoftmax and softmin against float64", () => {
    for (const variant of SOFTMAX_VARIANTS) {
      const name = variant;
      it(`${name}: short and long rows, non-trailing and multiple axes, strided inputs`, async () => {
        for (const l of layouts()) {
          await eachStrategy(rowCount(l.view, l.axes), () =>
            checkSoftmax(b, variant, "float32", l.values, l.view, l.axes, 1),
          );
        }
      });

      it(`${name}: NaN, infinities and huge values`, async () => {
        await eachStrategy(8, async () => {
          const rows = [
            [NAN, 1, 2],
            [1, INF, 2],
            [-INF, -INF, -INF],
            [0, -INF, 3],
            [1e30, 1e30, -1e30],
            [-1e30, -1e30, -1e30],
            [88, 88, 80],
            [1, 2, 3],
          ];
          await checkSoftmax(
            b,
            variant,
            "float32",
            rows.flat(),
            contiguous([rows.length, 3]),
            [1],
            1,
          );
          const long = rows.flatMap((row) => [...row, ...Array.from({ length: 297 }, () => -50)]);
          await checkSoftmax(b, variant, "float32", long, contiguous([rows.length, 300]), [1], 1);
        });
      });

      it(`${name}: a dominant entry keeps its tiny log-probability; integer inputs`, async () => {
        await eachStrategy(3, async () => {
          await checkSoftmax(b, variant, "float32", [0, -30, -40, -20], contiguous([4]), [0], 1);
          await checkSoftmax(
            b,
            variant,
            "float32",
            [0, -20, -12, -17],
            contiguous([2, 2]),
            [0, 1],
            1,
          );
          const ints = Array.from({ length: 120 }, (_, i) => (i * 7) % 23);
          await checkSoftmax(b, variant, "int32", ints, contiguous([3, 40]), [1], 1);
        });
      });

      it(`${name}: 100k-element rows, a thread or a workgroup per row`, async () => {
        const values = randomValues(200_000, 7, 20);
        await eachStrategy(2, () =>
          checkSoftmax(b, variant, "float32", values, contiguous([2, 100_000]), [1], 1),
        );
      });
    }
  });

  describe("concatenate", () => {
    async function checkConcat(
      bk: WebGPUBackend,
      dtype: DType,
      parts: { values: number[]; view: View }[],
      axis: number,
    ): Promise<void> {
      const outShape = (parts[0] as { view: View }).view.shape.slice();
      outShape[axis] = parts.reduce((n, p) => n + (p.view.shape[axis] as number), 0);
      const views = parts.map((p) => sview(upload(bk, dtype, p.values), p.view));
      const got = await readOut(
        bk,
        bk.concatenate(
          views,
          parts.map((p) => p.view.shape),
          axis,
          outShape,
          dtype,
        ),
      );
      const want: number[] = [];
      const outer = outShape.slice(0, axis);
      for (const o of indices(outer)) {
        for (const p of parts) {
          for (const rest of indices(p.view.shape.slice(axis))) {
            want.push(p.values[at(p.view, [...o, ...rest])] as number);
          }
        }
      }
      expect(got).toEqual(want);
    }

    it("contiguous, transposed, offset, broadcast and empty parts, along every axis", async () => {
      const big = randomValues(5 * 6 * 7, 10);
      for (const axis of [0, 1, 2]) {
        const shape = (k: number) => [2, 3, 4].map((d, i) => (i === axis ? k : d));
        const reversed = (sh: number[]) => sh.slice().reverse();
        const ps: { values: number[]; view: View }[] = [
          { values: randomValues(24, 11), view: contiguous(shape(2)) },
          {
            values: randomValues(24, 12),
            view: permuted(contiguous(reversed(shape(1))), [2, 1, 0]),
          },
          { values: big, view: { offset: 13, strides: [42, 7, 1], shape: shape(3) } },
          { values: big, view: { offset: 1, strides: [0, 0, 0], shape: shape(2) } },
          { values: big, view: { offset: 0, strides: [42, 7, 1], shape: shape(0) } },
        ];
        await checkConcat(b, "float32", ps, axis);
        await checkConcat(
          b,
          "int32",
          ps.map((p) => ({ ...p, values: p.values.map((v) => Math.round(v * 1e6)) })),
          axis,
        );
      }
    });

    it("preserves bit patterns (NaN payloads, -0) and bools", async () => {
      const a = [NAN, -0, INF, 1.5];
      await checkConcat(
        b,
        "float32",
        [
          { values: a, view: contiguous([4]) },
          { values: a, view: contiguous([4]) },
        ],
        0,
      );
      await checkConcat(
        b,
        "bool",
        [
          { values: [1, 0], view: contiguous([2]) },
          { values: [0, 1, 1], view: contiguous([3]) },
        ],
        0,
      );
    });

    it("chunks large copies under small binding limits", async () => {
      const sb = small as WebGPUBackend;
      const x = randomValues(300 * 7, 13);
      const y = randomValues(300 * 5, 14);
      await checkConcat(
        sb,
        "float32",
        [
          { values: x, view: contiguous([300, 7]) },
          { values: y, view: permuted(contiguous([5, 300]), [1, 0]) },
        ],
        1,
      );
    });
  });

  describe("randomBits", () => {
    async function checkBits(bk: WebGPUBackend, words: number[], view: View, count: number) {
      const buf = upload(bk, "uint32", words);
      const got = await readOut(bk, bk.randomBits(sview(buf, view), count));
      const key = [
        words[view.offset] as number,
        words[view.offset + (view.strides[0] as number)] as number,
      ];
      expect(got).toEqual(Array.from(randomBits(key, count)));
    }

    it("matches the CPU's threefry2x32 words bit for bit, even and odd counts", async () => {
      for (const count of [1, 2, 3, 4, 5, 255, 256, 257, 1000, 1001]) {
        await checkBits(b, [0, 0], contiguous([2]), count);
        await checkBits(b, [123456789, 4000000000], contiguous([2]), count);
      }
    });

    it("reads a key at an offset and through a stride", async () => {
      // Row 1 of a [3, 2] key array, and column 2 of its transpose (stride 3).
      await checkBits(b, [1, 2, 3, 4, 5, 6], { offset: 2, strides: [1], shape: [2] }, 33);
      await checkBits(b, [1, 2, 3, 4, 5, 6], { offset: 2, strides: [3], shape: [2] }, 33);
    });

    it("chunks outputs beyond the binding limit and the grid", async () => {
      await checkBits(small as WebGPUBackend, [7, 9], contiguous([2]), 5001);
      await checkBits(small as WebGPUBackend, [7, 9], contiguous([2]), 4096);
    });
  });

  describe("chunking under small limits (1 KiB bindings, 3×3 workgroups)", () => {
    it("reductions and softmax give the same results as without chunking", async () => {
      const sb = small as WebGPUBackend;
      const v = randomValues(3000, 20);
      const cases: [View, number[]][] = [
        [contiguous([1000, 3]), [1]],
        [contiguous([30, 100]), [1]],
        [permuted(contiguous([3, 60]), [1, 0]), [1]],
      ];
      for (const [view, axes] of cases) {
        await eachStrategy(rowCount(view, axes), async () => {
          for (const op of FLOAT_OPS) await checkReduce(sb, op, "float32", v, view, axes, 1);
        });
      }
      const softmaxCases: [View, number[]][] = [
        [contiguous([1000, 3]), [1]],
        [contiguous([30, 100]), [1]],
        [permuted(contiguous([6, 20]), [1, 0]), [0]],
      ];
      for (const [view, axes] of softmaxCases) {
        await eachStrategy(rowCount(view, axes), async () => {
          for (const variant of SOFTMAX_VARIANTS)
            await checkSoftmax(sb, variant, "float32", v, view, axes, 1);
        });
      }
    });

    it("more than 8 axes that cannot be merged is a clear NnkitError", () => {
      const buf = upload(b, "float32", randomValues(1024, 23));
      // A transposed [2, …, 2] (10 axes): no two kept axes nest.
      const strides = Array.from({ length: 10 }, (_, i) => 2 ** i);
      const view = { buffer: buf, offset: 0, strides };
      const shape = strides.map(() => 2);
      expect(() => b.reduce("sum", view, shape, [0], "float32")).toThrow(NnkitError);
      expect(() => b.reduce("sum", view, shape, [0], "float32")).toThrow(/at most 8/);
    });

    it("rows longer than a binding are reduced by segments, along any axis", async () => {
      const sb = small as WebGPUBackend;
      const v = randomValues(6000, 22);
      const cases: [View, number[]][] = [
        [contiguous([6000]), [0]],
        [contiguous([3, 2000]), [1]],
        [contiguous([400, 15]), [0]],
        [contiguous([20, 30, 10]), [0, 2]],
        [permuted(contiguous([30, 200]), [1, 0]), [1]],
      ];
      for (const [view, axes] of cases) {
        for (const op of FLOAT_OPS) await checkReduce(sb, op, "float32", v, view, axes, 1);
        for (const variant of SOFTMAX_VARIANTS)
          await checkSoftmax(sb, variant, "float32", v, view, axes, 1);
      }
      // The workgroup-per-segment kernels too.
      await withStrategy("group", async () => {
        const [view, axes] = cases[2] as [View, number[]];
        for (const op of ["sum", "logsumexp"] as const) {
          await checkReduce(sb, op, "float32", v, view, axes, 1);
        }
        for (const variant of ["softmax", "softmin"] as const) {
          await checkSoftmax(sb, variant, "float32", v, view, axes, 1);
        }
      });
      const ints = v.map((x) => Math.round(x * 1e8));
      await checkReduce(sb, "sum", "int32", ints, contiguous([400, 15]), [0], 0);
      await checkReduce(sb, "max", "int32", ints, contiguous([6000]), [0], 0);
      await checkReduce(sb, "mean", "int32", ints, contiguous([3, 2000]), [1], 0);
    });
  });
});
