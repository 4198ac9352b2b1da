import { decodeBits, FLOAT16, FLOAT32, roundToFormat, withinBound } from "@nnkit/conformance";
import {
  add,
  array,
  astype,
  broadcastTo,
  type DType,
  divide,
  type ExprNode,
  erfc,
  exp,
  type FusedExpr,
  float64ToFloat16Bits,
  maximum,
  minimum,
  multiply,
  type Array as NdArray,
  NnkitError,
  registerBackend,
  reshape,
  setDefaultDevice,
  sigmoid,
  split,
  tanh,
  transpose,
} from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { afterAll, describe, expect, it } from "vitest";
import { WebGPUBackend } from "../src/backend.js";
import { WebGPUBuffer } from "../src/gpu/buffer.js";
import { GpuContext, type KernelLimits } from "../src/gpu/context.js";
import { encodeElementwise, rangeExtent } from "../src/kernels/elementwise.js";
import { type DeviceProbe, dawnGpu, describeUnavailable, instrumentGpu } from "./dawn.js";

/**
 * The fused elementwise kernel itself: layouts and modes (vec4 with its tail, offsets, strided
 * and broadcast inputs, dimension collapsing), the pipeline cache, chunked and boxed dispatch
 * under small limits, float16 storage, product chains and casts. Results are compared with the
 * CPU backend (float64, rounded once) within the backend's float32 promise.
 */

const BOUND = { maxUlp: 4, relativeTolerance: 2 ** -22 };

function floats(n: number, lo: number, hi: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

async function run(device: string, f: () => NdArray): Promise<{ dtype: DType; values: number[] }> {
  await setDefaultDevice(device);
  const y = f();
  try {
    return { dtype: y.dtype, values: Array.from(await y.data()) };
  } finally {
    y.dispose();
  }
}

/** Evaluates `f` on the CPU and on `device`: same dtype, floats within BOUND, others exact. */
async function agree(device: string, f: () => NdArray): Promise<void> {
  const want = await run("cpu", f);
  const got = await run(device, f);
  expect(got.dtype).toBe(want.dtype);
  expect(got.values.length).toBe(want.values.length);
  const bad: string[] = [];
  for (const [i, w] of want.values.entries()) {
    const g = got.values[i] as number;
    const ok = want.dtype === "float32" ? withinBound(FLOAT32, w, g, BOUND).ok : Object.is(w, g);
    if (!ok && bad.length < 5) bad.push(`[${i}] cpu ${w}, webgpu ${g}`);
  }
  expect(bad).toEqual([]);
}

describe("rangeExtent (the elements a range of the output reads)", () => {
  it("equals a brute-force walk for random shapes, strides and ranges", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    for (let t = 0; t < 300; t++) {
      const rank = 1 + rnd(4);
      const shape = Array.from({ length: rank }, () => 1 + rnd(5));
      const strides = shape.map(() => rnd(13) - 6);
      const size = shape.reduce((a, b) => a * b, 1);
      const s = rnd(size);
      const e = s + 1 + rnd(size - s);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = s; i < e; i++) {
        let rem = i;
        let off = 0;
        for (let d = rank - 1; d >= 0; d--) {
          off += (rem % (shape[d] as number)) * (strides[d] as number);
          rem = Math.floor(rem / (shape[d] as number));
        }
        lo = Math.min(lo, off);
        hi = Math.max(hi, off);
      }
      expect(rangeExtent(shape, strides, s, e), `${shape} ${strides} [${s}, ${e})`).toEqual([
        lo,
        hi,
      ]);
    }
  });
});

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("fused elementwise kernels on webgpu", reason ?? "unknown");
} else {
  const backend = await WebGPUBackend.create({ name: "webgpu-ew", gpu });
  registerBackend("webgpu-ew", () => backend, { priority: -1 });
  const instrumented = instrumentGpu(gpu);
  const LIMITS = { maxStorageBufferBindingSize: 2048, maxComputeWorkgroupsPerDimension: 3 };
  const small = await WebGPUBackend.create({
    name: "webgpu-ew-small",
    gpu: instrumented.gpu,
    kernelLimits: LIMITS,
  });
  registerBackend("webgpu-ew-small", () => small, { priority: -1 });
  const probe = instrumented.devices[0] as DeviceProbe;

  afterAll(async () => {
    await setDefaultDevice("cpu");
    probe.real.destroy();
    backend.device.destroy();
  });

  describe("fused elementwise kernels on webgpu", () => {
    it("vec4 path: every length around multiples of 4 stores exactly its elements", async () => {
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 1027]) {
        const x = floats(n, -4, 4, n);
        const y = floats(n, -4, 4, n + 1);
        await agree("webgpu-ew", () => add(multiply(tanh(array(x)), 2), array(y)));
        // bool and int32 outputs take the same path
        await agree("webgpu-ew", () => maximum(astype(array(x), "int32"), -1));
      }
    });

    it("views at offsets that are not multiples of 4, strided and broadcast inputs", async () => {
      const x = floats(103, -3, 3, 1);
      await agree("webgpu-ew", () => {
        const [, tail] = split(array(x), [3]) as [NdArray, NdArray];
        return exp(tail);
      });
      const m = floats(6 * 7, -3, 3, 2);
      await agree("webgpu-ew", () => sigmoid(transpose(reshape(array(m), [6, 7]))));
      await agree("webgpu-ew", () =>
        add(
          reshape(array(floats(5, -1, 1, 3)), [5, 1]),
          reshape(array(floats(4, -1, 1, 4)), [1, 4]),
        ),
      );
      // nine dimensions that collapse to few
      const shape = [2, 1, 3, 1, 2, 1, 2, 1, 2];
      await agree("webgpu-ew", () =>
        multiply(
          broadcastTo(reshape(array(floats(2, 1, 2, 5)), [1, 1, 1, 1, 1, 1, 1, 1, 2]), shape),
          reshape(array(floats(48, -2, 2, 6)), shape),
        ),
      );
    });

    it("views that keep more than 8 dimensions apart are refused with a clear error", async () => {
      await setDefaultDevice("webgpu-ew");
      const x = reshape(array(floats(512, 0, 1, 7)), [2, 2, 2, 2, 2, 2, 2, 2, 2]);
      const y = exp(transpose(x));
      await expect(y.data()).rejects.toThrow(NnkitError);
      await expect(exp(transpose(x)).data()).rejects.toThrow(/at most 8 dimensions/);
    });

    it("pipelines are cached by structure, dtypes and layout, never by size or scalar values", async () => {
      await setDefaultDevice("webgpu-ew");
      const run = async (n: number, s: number) =>
        Array.from(await multiply(exp(array(floats(n, -1, 1, n))), s).data());
      await run(5, 2.5);
      const before = backend.pipelineCount;
      for (const [n, s] of [
        [6, 0.1],
        [1000, -3],
        [77, 1e30],
      ] as const) {
        const got = await run(n, s);
        expect(got.length).toBe(n);
      }
      expect(backend.pipelineCount).toBe(before);
      // another layout (a broadcast operand) is another pipeline
      await multiply(exp(array(floats(8, -1, 1, 9))), array([2])).data();
      expect(backend.pipelineCount).toBe(before + 1);
    });

    it("empty arrays launch nothing", async () => {
      await setDefaultDevice("webgpu-ew");
      const got = await exp(array(new Float32Array(0))).data();
      expect(got.length).toBe(0);
    });

    it("small limits: ranges within maxStorageBufferBindingSize, 2-D grids, boxes for transposes", async () => {
      probe.maxStorageBinding = 0;
      probe.maxWorkgroupsPerDimension = 0;
      const n = 5001;
      const a = floats(n, -20, 20, 11);
      const b = floats(n, -3, 3, 12);
      await agree("webgpu-ew-small", () => add(tanh(multiply(exp(array(b)), 0.5)), array(a)));
      // a broadcast row (footprint per range) and a transposed input (boxes)
      const m = floats(37 * 41, -2, 2, 13);
      await agree("webgpu-ew-small", () =>
        multiply(
          add(reshape(array(floats(41, -1, 1, 14)), [1, 41]), 1),
          transpose(reshape(array(m), [41, 37])),
        ),
      );
      await agree("webgpu-ew-small", () => astype(transpose(reshape(array(m), [41, 37])), "int32"));
      expect(probe.maxStorageBinding).toBeLessThanOrEqual(LIMITS.maxStorageBufferBindingSize);
      expect(probe.maxWorkgroupsPerDimension).toBeLessThanOrEqual(
        LIMITS.maxComputeWorkgroupsPerDimension,
      );
    });

    it("product chains: finite results stay finite, tails keep their precision", async () => {
      const x = Float32Array.from([1.7014118346046923e38, -3e38, 6.1e37, 3.4e38, -100, -13, -9]);
      // gelu's x·erfc(-x/√2)·0.5 and hardswish's x·min(max(x + 3, 0), 6)/6 overflow at x·2, x·6
      await agree("webgpu-ew", () =>
        multiply(multiply(array(x), erfc(divide(array(x), -Math.SQRT2))), 0.5),
      );
      await agree("webgpu-ew", () =>
        divide(multiply(array(x), minimum(maximum(add(array(x), 3), 0), 6)), 6),
      );
      // x·sigmoid(x) at -100 is 3.7e-42: the gate must not be rounded to a subnormal first
      await agree("webgpu-ew", () => multiply(array(x), sigmoid(array(x))));
      await setDefaultDevice("webgpu-ew");
      const [g] = await multiply(array([-100]), sigmoid(array([-100]))).data();
      expect(g).toBe(Math.fround(-100 / (1 + Math.exp(100))));
    });

    it("casts of computed values truncate, wrap and round like the CPU", async () => {
      const x = Float32Array.from([
        0.5, 1.5, -2.5, 7.9999, -7.9999, 1e10, -3e9, 4.5e9, 65519.9, 65520, 1e-8, 3.3,
      ]);
      await agree("webgpu-ew", () => astype(multiply(array(x), 3), "int32"));
      await agree("webgpu-ew", () => astype(multiply(array(x), 3), "uint32"));
      await agree("webgpu-ew", () => astype(multiply(array(x), 1e-30), "bool"));
      // float16 and bfloat16 intermediates round once (no half buffers involved)
      await agree("webgpu-ew", () =>
        astype(astype(multiply(array(x), 1.0001), "float16"), "float32"),
      );
      await agree("webgpu-ew", () =>
        astype(astype(multiply(array(x), 1.0001), "bfloat16"), "float32"),
      );
      await agree("webgpu-ew", () => astype(add(astype(array(x), "int32"), 16777217), "float32"));
    });
  });

  // ---- float16 storage, through the kernel directly (SwiftShader has no shader-f16, and the
  // kernels do not need it: halves are packed in u32 words) -----------------------------------

  describe("float16 storage (packed, no shader-f16 needed)", () => {
    const device = backend.device;
    const limits = (l: Partial<KernelLimits>): KernelLimits => ({
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize ?? 1 << 30,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension ?? 65535,
      minStorageBufferOffsetAlignment: device.limits.minStorageBufferOffsetAlignment,
    });
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const halfBuffer = (bits: Uint16Array) => {
      const gpu = device.createBuffer({
        size: Math.max(256, Math.ceil(bits.byteLength / 4) * 4),
        usage,
      });
      const padded = new Uint16Array(Math.ceil(bits.length / 2) * 2);
      padded.set(bits);
      device.queue.writeBuffer(gpu, 0, padded);
      return new WebGPUBuffer("t", "float16", bits.length, gpu, (b) => b.gpu.destroy());
    };
    const readHalves = async (ctx: GpuContext, b: WebGPUBuffer): Promise<number[]> => {
      await ctx.flush();
      const bytes = Math.ceil((b.size * 2) / 4) * 4;
      const staging = device.createBuffer({
        size: bytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(b.gpu, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const out = Array.from(new Uint16Array(staging.getMappedRange().slice(0), 0, b.size));
      staging.destroy();
      return out;
    };
    /** exp(a)·b in float16: a (rows, cols) read through `aStrides`, b a broadcast scalar. */
    const expr = (): FusedExpr => {
      const nodes: ExprNode[] = [
        { kind: "input", index: 0, dtype: "float16" },
        { kind: "unary", op: "exp", arg: 0, dtype: "float16" },
        { kind: "input", index: 1, dtype: "float16" },
        { kind: "binary", op: "multiply", lhs: 1, rhs: 2, dtype: "float16" },
      ];
      return {
        nodes,
        inputDtypes: ["float16", "float16"],
        scalarCount: 0,
        outDtype: "float16",
        key: "i0:float16;exp(0):float16;i1:float16;multiply(1,2):float16",
      };
    };
    const values = Array.from(floats(23 * 19, -6, 6, 21), (v) =>
      decodeBits(FLOAT16, float64ToFloat16Bits(v)),
    );
    const aBits = Uint16Array.from(values, (v) => float64ToFloat16Bits(v));
    const bBits = Uint16Array.from([float64ToFloat16Bits(0.75)]);

    for (const [name, lim, transposed] of [
      ["contiguous, half2 mode", {}, false],
      ["transposed input", {}, true],
      [
        "transposed input under small limits (boxes, halves stored with atomics)",
        { maxStorageBufferBindingSize: 512 },
        true,
      ],
      [
        "contiguous under small limits (ranges)",
        { maxStorageBufferBindingSize: 512, maxComputeWorkgroupsPerDimension: 2 },
        false,
      ],
    ] as const) {
      it(`exp(a)·b: ${name}, rounded once to float16`, async () => {
        const ctx = new GpuContext(device, false, limits(lim), "t");
        const rows = 19;
        const cols = 23;
        const a = halfBuffer(aBits);
        const b = halfBuffer(bBits);
        const out = halfBuffer(new Uint16Array(rows * cols));
        // a holds a (cols, rows) matrix; read transposed it is (rows, cols)
        const aView = transposed
          ? { buffer: a, offset: 0, strides: [1, rows] }
          : { buffer: a, offset: 0, strides: [cols, 1] };
        encodeElementwise(
          ctx,
          expr(),
          [aView, { buffer: b, offset: 0, strides: [0, 0] }],
          [],
          [rows, cols],
          out,
        );
        const got = await readHalves(ctx, out);
        const bad: string[] = [];
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const av = values[transposed ? c * rows + r : r * cols + c] as number;
            const want = roundToFormat(FLOAT16, Math.exp(av) * 0.75);
            const g = decodeBits(FLOAT16, got[r * cols + c] as number);
            if (!withinBound(FLOAT16, want, g, 1).ok && bad.length < 5) {
              bad.push(`(${r}, ${c}) exp(${av})·0.75: want ${want}, got ${g}`);
            }
          }
        }
        expect(bad).toEqual([]);
        for (const x of [a, b, out]) x.release();
      });
    }
  });
}
