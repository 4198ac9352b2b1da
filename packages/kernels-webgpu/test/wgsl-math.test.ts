import {
  BFLOAT16,
  decodeBits,
  encodeBits,
  FLOAT16,
  FLOAT32,
  fixtureRegions,
  roundToFormat,
  ulpDistance,
} from "@nnkit/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { mathLibrary } from "../src/wgsl/math/index.js";
import { f32 } from "../src/wgsl/math/snippet.js";
import { dawnGpu, describeUnavailable } from "./dawn.js";

/**
 * The WGSL math library on its own, on the device (SwiftShader in CI): every transcendental
 * against the mpmath fixture of the conformance suite, and the bit-level helpers (ldexp onto the
 * subnormal grid, half conversions, truncating casts, double-float arithmetic) against exact
 * references. The measured max-ulp per op is printed.
 */

describe("f32 literals", () => {
  it("are exact hexadecimal floats of the nearest float32", () => {
    expect(f32(1)).toBe("0x1.000000p+0f");
    expect(f32(-0.1)).toBe("-0x1.99999ap-4f");
    expect(f32(0.693145751953125)).toBe("0x1.62e400p-1f");
    expect(f32(-0)).toBe("-0.0f");
    expect(() => f32(Number.POSITIVE_INFINITY)).toThrow();
  });
});

const bitsOf = (x: number) => encodeBits(FLOAT32, Number.isNaN(x) ? Number.NaN : x) >>> 0;
const fromBits = (b: number) => decodeBits(FLOAT32, b >>> 0);

const { gpu, reason } = await dawnGpu();

if (!gpu) {
  describeUnavailable("WGSL math library", reason ?? "unknown");
} else {
  const adapter = (await gpu.requestAdapter()) as GPUAdapter;
  const device = await adapter.requestDevice();
  // the closure keeps the GPU and adapter objects alive (Dawn's device dies with them)
  afterAll(() => {
    device.destroy();
    void [gpu, adapter];
  });

  /**
   * Runs `fn f(a: u32, b: u32) -> u32` (`body`, with the math snippets `deps`; inputs and output
   * are raw 32-bit patterns) over the pairs (a[i], b[i]).
   */
  async function runBits(
    deps: readonly string[],
    body: string,
    a: readonly number[],
    b: readonly number[] = a,
  ): Promise<Uint32Array> {
    const n = a.length;
    const code = `${mathLibrary(deps)}
${body}
@group(0) @binding(0) var<storage, read> A: array<u32>;
@group(0) @binding(1) var<storage, read> B: array<u32>;
@group(0) @binding(2) var<storage, read_write> O: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  nk_one_ = f32(arrayLength(&O) > 0u);
  let i = g.x + g.y * nwg.x * 64u;
  if (i >= arrayLength(&O)) { return; }
  O[i] = f(A[i], B[i]);
}`;
    const module = device.createShaderModule({ code });
    const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === "error");
    if (errors.length > 0)
      throw new Error(errors.map((m) => `${m.lineNum}: ${m.message}`).join("\n"));
    const pipeline = await device.createComputePipelineAsync({
      layout: "auto",
      compute: { module, entryPoint: "main" },
    });
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const upload = (v: readonly number[]) => {
      const buf = device.createBuffer({ size: Math.max(16, v.length * 4), usage });
      device.queue.writeBuffer(
        buf,
        0,
        Uint32Array.from(v, (x) => x >>> 0),
      );
      return buf;
    };
    const ba = upload(a);
    const bb = upload(b);
    const bo = device.createBuffer({ size: n * 4, usage });
    const staging = device.createBuffer({
      size: n * 4,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const group = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [ba, bb, bo].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    const groups = Math.ceil(n / 64);
    pass.dispatchWorkgroups(Math.min(groups, 4096), Math.ceil(groups / 4096));
    pass.end();
    enc.copyBufferToBuffer(bo, 0, staging, 0, n * 4);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Uint32Array(staging.getMappedRange().slice(0));
    for (const x of [ba, bb, bo, staging]) x.destroy();
    return out;
  }

  /** A pair function `fn(vec2<f32>[, vec2<f32>]) -> vec2<f32>` on float32 values: the high parts. */
  async function runPairs(
    deps: readonly string[],
    call: string,
    a: readonly number[],
    b: readonly number[] = a,
  ): Promise<number[]> {
    const body = `fn f(a: u32, b: u32) -> u32 {
  let x = vec2<f32>(bitcast<f32>(a), 0.0);
  let y = vec2<f32>(bitcast<f32>(b), 0.0);
  return bitcast<u32>(${call}.x);
}`;
    const out = await runBits(deps, body, a.map(bitsOf), b.map(bitsOf));
    return Array.from(out, fromBits);
  }

  const UNARY: Record<string, { call: string; dep: string }> = {
    exp: { call: "df_exp(x)", dep: "exp" },
    expm1: { call: "df_expm1(x)", dep: "expm1" },
    log: { call: "df_log(x)", dep: "log" },
    log1p: { call: "df_log1p(x)", dep: "log1p" },
    tanh: { call: "df_tanh(x)", dep: "tanh" },
    erf: { call: "df_erf(x)", dep: "erf" },
    erfc: { call: "df_erfc(x)", dep: "erfc" },
    erfinv: { call: "df_erfinv(x)", dep: "erfinv" },
    sigmoid: { call: "df_sigmoid(x)", dep: "sigmoid" },
  };
  const BINARY: Record<string, { call: string; dep: string }> = {
    logaddexp: { call: "df_logaddexp(x, y)", dep: "logaddexp" },
    power: { call: "df_pow(x, y)", dep: "pow" },
  };

  /**
   * logaddexp results within ~1e-8 of 0 ("result near 0": the two exponentials cancel) need the
   * exponential and log1p to ~2^-70 absolute; the double-float ones give ~2^-36 (measured). They
   * are held to 2^-32 absolute (the issue requires 2^-22·max(1, |exact|)) instead of ulps.
   */
  const ABSOLUTE_REGIONS: Record<string, readonly string[]> = { logaddexp: ["result near 0"] };

  describe("WGSL math library against the mpmath fixture (float32)", () => {
    const table: string[] = [];
    afterAll(() =>
      console.log(
        `WGSL math max-ulp per op (${adapter.info?.description || "adapter"}):\n${table.join("\n")}`,
      ),
    );

    const check = (
      op: string,
      cases: { region: string; args: number[]; expected: number }[],
      got: number[],
    ) => {
      const worst = new Map<string, number>();
      const bad: string[] = [];
      for (const [i, c] of cases.entries()) {
        const g = got[i] as number;
        const absolute = ABSOLUTE_REGIONS[op]?.includes(c.region) === true;
        const u = ulpDistance(FLOAT32, c.expected, g);
        worst.set(c.region, Math.max(worst.get(c.region) ?? 0, u));
        const ok = absolute ? Math.abs(g - c.expected) <= 2 ** -32 : u <= 2;
        if (!ok && bad.length < 5)
          bad.push(
            `${op}(${c.args.join(", ")}) [${c.region}]: want ${c.expected}, got ${g} (${u} ulp)`,
          );
      }
      table.push(`  ${op}: ${[...worst].map(([r, u]) => `${r} ${u}`).join(", ")}`);
      expect(bad).toEqual([]);
    };

    for (const [op, { call, dep }] of Object.entries(UNARY)) {
      it(`${op}: within 2 ulp in every region`, async () => {
        const cases = fixtureRegions("float32", "unary", op).flatMap((r) =>
          r.cases.map((c) => ({ region: r.region, args: [...c.args], expected: c.expected })),
        );
        check(
          op,
          cases,
          await runPairs(
            [dep],
            call,
            cases.map((c) => c.args[0] as number),
          ),
        );
      });
    }
    for (const [op, { call, dep }] of Object.entries(BINARY)) {
      it(`${op}: within 2 ulp in every region${ABSOLUTE_REGIONS[op] ? " (but cancellation to 0)" : ""}`, async () => {
        const cases = fixtureRegions("float32", "binary", op).flatMap((r) =>
          r.cases.map((c) => ({ region: r.region, args: [...c.args], expected: c.expected })),
        );
        const got = await runPairs(
          [dep],
          call,
          cases.map((c) => c.args[0] as number),
          cases.map((c) => c.args[1] as number),
        );
        check(op, cases, got);
      });
    }
  });

  describe("WGSL bit-level helpers", () => {
    it("nk_ldexp2 rounds onto the subnormal grid once, ties to even or broken by the low part", async () => {
      // p, k, and a low part lo = ±p·2^-30 or 0 (exact), coded as k + 200 | sign << 16 | has << 17
      const cases: [number, number, number][] = [];
      for (const p of [1, 1.5, 1.25, 1.75, 1.9999999, 1.0000001, -1.5]) {
        for (const k of [-126, -127, -130, -140, -149, -150, -151, 127, 128, 0]) {
          for (const lo of [0, 1, -1]) cases.push([Math.fround(p), k, lo]);
        }
      }
      const out = await runBits(
        ["ldexp"],
        `fn f(a: u32, b: u32) -> u32 {
  let p = bitcast<f32>(a);
  let lo = select(0.0, p * 0x1p-30f * select(1.0, -1.0, ((b >> 16u) & 1u) == 1u), (b >> 17u) == 1u);
  return bitcast<u32>(nk_ldexp2(p, lo, i32(b & 0xffffu) - 200));
}`,
        cases.map(([p]) => bitsOf(p)),
        cases.map(([, k, lo]) => (k + 200) | (lo < 0 ? 1 << 16 : 0) | (lo !== 0 ? 1 << 17 : 0)),
      );
      for (const [i, [p, k, sign]] of cases.entries()) {
        const lo = p * 2 ** -30 * sign;
        // exact (p + lo)·2^k rounded once to float32 (float64 holds p + lo exactly)
        const want = roundToFormat(FLOAT32, (p + lo) * 2 ** k);
        expect(fromBits(out[i] as number), `ldexp(${p} + ${lo}, ${k})`).toBe(want);
      }
    });

    it("float16 bits decode exactly, and pairs round once to float16 and bfloat16", async () => {
      const all = Array.from({ length: 65536 }, (_, i) => i);
      const decoded = await runBits(
        ["convert"],
        "fn f(a: u32, b: u32) -> u32 { return bitcast<u32>(nk_f16_to_f32(a)); }",
        all,
      );
      for (const h of all) {
        const want = decodeBits(FLOAT16, h);
        const got = fromBits(decoded[h] as number);
        if (Number.isNaN(want)) expect(Number.isNaN(got)).toBe(true);
        else expect(Object.is(got, want), `0x${h.toString(16)}`).toBe(true);
      }
      // random float32 values with a low part (hi + lo exact in float64)
      let s = 99;
      const rnd = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s;
      };
      const his: number[] = [];
      const los: number[] = [];
      for (let i = 0; i < 20000; i++) {
        const hi = fromBits((rnd() & 0x8fffffff) | (i % 3 === 0 ? 0x30000000 : 0));
        if (!Number.isFinite(hi)) continue;
        // exact half-type midpoints with a low part of either sign, and plain values
        const lo = i % 4 === 0 ? 0 : Math.fround(hi * 2 ** -30 * (i % 2 ? 1 : -1));
        his.push(hi);
        los.push(lo);
      }
      const f16 = await runBits(
        ["convert"],
        "fn f(a: u32, b: u32) -> u32 { return nk_df_to_f16(vec2<f32>(bitcast<f32>(a), bitcast<f32>(b))); }",
        his.map(bitsOf),
        los.map(bitsOf),
      );
      const bf16 = await runBits(
        ["convert"],
        "fn f(a: u32, b: u32) -> u32 { return bitcast<u32>(nk_df_to_bf16(vec2<f32>(bitcast<f32>(a), bitcast<f32>(b)))); }",
        his.map(bitsOf),
        los.map(bitsOf),
      );
      for (const [i, hi] of his.entries()) {
        const v = hi + (los[i] as number);
        expect(decodeBits(FLOAT16, f16[i] as number), `f16(${hi} + ${los[i]})`).toBe(
          roundToFormat(FLOAT16, v),
        );
        expect(fromBits(bf16[i] as number), `bf16(${hi} + ${los[i]})`).toBe(
          roundToFormat(BFLOAT16, v),
        );
      }
    });

    it("float → uint32 truncates toward zero, wraps modulo 2^32, NaN and ±inf give 0", async () => {
      const xs = [
        0.5,
        -0.5,
        1.9,
        -1.9,
        2147483520,
        2147483648,
        -2147483648,
        -2147483904,
        3e9,
        -3e9,
        4294967296,
        4294967808,
        1e10,
        -1e10,
        1e20,
        3.4e38,
        16777216,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        -0,
        2 ** -149,
      ].map(Math.fround);
      const out = await runBits(
        ["convert"],
        "fn f(a: u32, b: u32) -> u32 { return nk_f2u_wrap(bitcast<f32>(a)); }",
        xs.map(bitsOf),
      );
      for (const [i, x] of xs.entries()) {
        const want = Number.isFinite(x) ? Number(BigInt.asUintN(32, BigInt(Math.trunc(x)))) : 0;
        expect(out[i], `u32(${x})`).toBe(want);
      }
    });

    it("double-float +, ×, ÷ and sqrt give the correctly rounded float32, subnormal results included", async () => {
      let s = 5;
      const rnd = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s;
      };
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < 4000; i++) {
        const x = fromBits(rnd());
        const y = fromBits(i % 2 ? rnd() : (bitsOf(x) ^ (rnd() & 0x807fffff)) >>> 0);
        if (Number.isFinite(x) && Number.isFinite(y)) {
          a.push(x);
          b.push(y);
        }
      }
      const ops: [string, string, (x: number, y: number) => number][] = [
        ["add", "df_add(x, y)", (x, y) => x + y],
        ["mul", "df_mul(x, y)", (x, y) => x * y],
        ["div", "df_div(x, y)", (x, y) => x / y],
        ["sqrt", "df_sqrt(x)", (x) => Math.sqrt(x)],
      ];
      for (const [name, call, ref] of ops) {
        const got = await runPairs(["df", "df_sqrt"], call, a, b);
        const bad = a.flatMap((x, i) => {
          const want = roundToFormat(FLOAT32, ref(x, b[i] as number));
          const g = got[i] as number;
          return Object.is(want, g) || (Number.isNaN(want) && Number.isNaN(g))
            ? []
            : [`${name}(${x}, ${b[i]}): ${want} vs ${g}`];
        });
        expect(bad.slice(0, 5)).toEqual([]);
      }
    });
  });
}
