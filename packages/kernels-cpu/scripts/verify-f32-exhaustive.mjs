// Exhaustive float32 check of the default ("fast") SIMD math against an accurate float64
// reference: every unary activation of @nnkit/nn-functions (all but softmax, softmin, logSoftmax
// and glu: the ones with an axis), with default parameters (prelu: alpha = 0.25), over all 2^32
// float32 bit patterns, in chunks of at most 2^24, on two CpuBackends in one process:
//   f32-fast  new CpuBackend({ mode: "wasm", math: "fast", threads: "auto" }): what users get
//   f64-ref   new CpuBackend({ mode: "wasm", math: "reproducible", threads: "auto" }), read at
//             float64 precision: nnkit has no float64 dtype, but the CPU computes a fused
//             expression in float64 and rounds once at its output, so r32 = f(x) (rounded) and
//             then d = (f(x) − r32)·2^m (computed again in float64, with 2^m = 1/ulp(r32) passed
//             as two float32 factors; exact, then rounded) give the float64 value as
//             r32 + d·2^-m to within 2^-24 of the residual, even where r32 is subnormal. That
//             value is the activation's own formula evaluated in double with fdlibm-accurate
//             math, within a few 2^-53 of exact, relative (the formulas avoid cancellation;
//             their accuracy against mpmath is what the nn-functions suites check): about 2^-29
//             of a float32 ulp.
//
// Error of a float32 result y against the reference r: |y − r| in float32 ulps at r, the
// spacing of float32 in r's binade (2^-149 below the normals); ±inf count as ±2^128, so an
// overflow to inf where r is beyond float32's max costs less than 1 ulp. The table reports the
// largest error (a fraction: correctly rounded results are within 0.5) and how many results are
// beyond 0.5 and beyond 1 ulp. NaN equals only NaN (any payload): a NaN on one side only is a
// NaN mismatch (not part of max ulp); a zero of the wrong sign is counted on its own
// (signedZeroMismatches, 0 ulp apart). step's int32 output is compared as integers (the "ulp" is
// the absolute difference, exact equality expected).
//
// Run after building (from the repository root):
//   pnpm exec turbo run build --filter=@nnkit/nn-functions... --filter=@nnkit/kernels-cpu \
//     --output-logs=errors-only
//   node packages/kernels-cpu/scripts/verify-f32-exhaustive.mjs [options]
// Options:
//   --functions a,b   only these activations (nnkit names; default: all 23 unary ones)
//   --stride K        test the patterns i*K (i = 0 .. ceil(2^32/K) - 1) only, evenly spread over
//                     all bit patterns (default 1: every pattern; 256 gives one 2^24 chunk each)
//   --chunk-log2 N    elements per chunk, 2^N (default and maximum 24)
//   --out path        write the results as JSON (rewritten after each function)
// Prints a Markdown table to stdout and progress (every 64 chunks) to stderr.
import { writeFileSync } from "node:fs";
import * as mx from "@nnkit/core";
// Not a dependency of this package: imported from the sibling package's build.
import { ACTIVATIONS } from "../../nn-functions/dist/index.js";
import { ulpAt } from "./float32-ulp.mjs";
import { CpuBackend } from "../dist/index.js";

const TOTAL = 2 ** 32;

function parseArgs(argv) {
  const opts = { functions: undefined, stride: 1, chunkLog2: 24, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.includes("=") ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${key} needs a value`);
      return v;
    };
    if (key === "--functions") {
      opts.functions = value()
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    } else if (key === "--stride") {
      opts.stride = Number(value());
      if (!Number.isInteger(opts.stride) || opts.stride < 1 || opts.stride > TOTAL) {
        throw new Error(`--stride must be an integer in [1, 2^32]; got ${opts.stride}`);
      }
    } else if (key === "--chunk-log2") {
      opts.chunkLog2 = Number(value());
      if (!Number.isInteger(opts.chunkLog2) || opts.chunkLog2 < 0 || opts.chunkLog2 > 24) {
        throw new Error(`--chunk-log2 must be an integer in [0, 24]; got ${opts.chunkLog2}`);
      }
    } else if (key === "--out") {
      opts.out = value();
    } else if (key === "--help" || key === "-h") {
      console.log(
        "usage: verify-f32-exhaustive.mjs [--functions a,b] [--stride K] [--chunk-log2 N] [--out path]",
      );
      process.exit(0);
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// The unary elementwise activations: those without an axis parameter.
const UNARY = ACTIVATIONS.filter((a) => !a.params.some((p) => p.kind === "axis"));
const PARAMS = { prelu: { alpha: 0.25 } };
let selected = UNARY;
if (opts.functions !== undefined) {
  const byName = new Map(UNARY.map((a) => [a.name, a]));
  const unknown = opts.functions.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    throw new Error(
      `not unary activations: ${unknown.join(", ")} (known: ${[...byName.keys()].join(", ")})`,
    );
  }
  selected = opts.functions.map((n) => byName.get(n));
}

const FAST = "f32-fast";
const REF = "f64-ref";
const backends = {
  [FAST]: new CpuBackend({ name: FAST, mode: "wasm", math: "fast", threads: "auto" }),
  [REF]: new CpuBackend({ name: REF, mode: "wasm", math: "reproducible", threads: "auto" }),
};
for (const [name, backend] of Object.entries(backends)) {
  if (backend.mode !== "wasm") throw new Error(`${name}: WebAssembly SIMD unavailable`);
  if (backend.math === undefined) {
    throw new Error(`${name}: this build of @nnkit/kernels-cpu has no "math" option; rebuild it`);
  }
  await backend.startThreads();
  mx.registerBackend(name, () => backend);
}
if (backends[FAST].math !== "fast" || backends[REF].math !== "reproducible") {
  throw new Error("the backends did not take their math option");
}

const count = Math.ceil(TOTAL / opts.stride); // patterns tested per function
const chunkSize = Math.min(2 ** opts.chunkLog2, count);
const chunks = Math.ceil(count / chunkSize);
const bitsBuf = new Uint32Array(chunkSize);
const floatsBuf = new Float32Array(bitsBuf.buffer);
const reference = new Float64Array(chunkSize);

/** Fills the input with patterns (first + j) * stride; returns how many. */
function fillChunk(c) {
  const first = c * chunkSize;
  const n = Math.min(chunkSize, count - first);
  const stride = opts.stride;
  for (let j = 0; j < n; j++) bitsBuf[j] = (first + j) * stride; // < 2^32: exact
  return n;
}

/** Evaluates `info` on `n` elements of the chunk on `device`: the output storage and seconds. */
async function run(device, info, n) {
  await mx.setDefaultDevice(device);
  const t0 = performance.now();
  const x = mx.array(n === chunkSize ? floatsBuf : floatsBuf.subarray(0, n));
  let y;
  try {
    y = info.apply(x, PARAMS[info.name]);
    const data = await y.data();
    return { dtype: y.dtype, data, seconds: (performance.now() - t0) / 1000 };
  } finally {
    y?.dispose();
    x.dispose();
  }
}

/**
 * The reference for `n` elements of the chunk, into `reference`: r32 + d·2^-m from the
 * reproducible backend (see the top of the file). Counts the nonzero residuals, so that a
 * reference that were only float32 (the subtraction not fused with f) shows.
 */
async function runReference(info, n) {
  await mx.setDefaultDevice(REF);
  const t0 = performance.now();
  const x = mx.array(n === chunkSize ? floatsBuf : floatsBuf.subarray(0, n));
  const arrays = [x];
  try {
    const r32 = info.apply(x, PARAMS[info.name]);
    arrays.push(r32);
    const rounded = await r32.data();
    if (r32.dtype !== "float32") return { dtype: r32.dtype, data: rounded, seconds: 0 };
    // 1/ulp(r32) = 2^m, m = 150 − biased exponent (149 for zeros and subnormals), split into
    // two float32 powers of two (m reaches 149, beyond float32's 2^127).
    const bits = new Uint32Array(rounded.buffer, rounded.byteOffset, n);
    const m = new Int32Array(n);
    const s1 = new Float32Array(n);
    const s2 = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      const e = (bits[j] >>> 23) & 0xff;
      const mj = e === 255 ? 0 : e === 0 ? 149 : 150 - e;
      const half = (mj + 1) >> 1;
      m[j] = mj;
      s1[j] = POW2[half + POW2_BIAS];
      s2[j] = POW2[mj - half + POW2_BIAS];
    }
    const a1 = mx.array(s1);
    const a2 = mx.array(s2);
    arrays.push(a1, a2);
    const residual = mx.multiply(
      mx.multiply(mx.subtract(info.apply(x, PARAMS[info.name]), r32), a1),
      a2,
    );
    arrays.push(residual);
    const d = await residual.data();
    let nonzero = 0;
    for (let j = 0; j < n; j++) {
      const r = rounded[j];
      const e = d[j];
      // Non-finite r32 (inf from an overflow, or NaN) is the reference itself, and so is r32
      // with a zero residual (r32 + 0 would turn −0 into +0).
      reference[j] = Number.isFinite(r) && e !== 0 ? r + e * POW2[POW2_BIAS - m[j]] : r;
      if (e !== 0 && Number.isFinite(e)) nonzero++;
    }
    residualCount = nonzero;
    return { dtype: "float64", data: reference, seconds: (performance.now() - t0) / 1000 };
  } finally {
    for (const a of arrays) a.dispose();
  }
}
let residualCount = 0;
/**
 * 2^k at POW2[k + POW2_BIAS] for k = −150 … 150 (m above runs from −104 for results near
 * float32's max to 149): the scale factors without a Math.pow per element.
 */
const POW2_BIAS = 150;
const POW2 = Float64Array.from({ length: 2 * POW2_BIAS + 1 }, (_, i) => 2 ** (i - POW2_BIAS));

const isNaNBits = (b) => (b & 0x7fffffff) > 0x7f800000;

const capInf = (v) =>
  v === Number.POSITIVE_INFINITY ? 2 ** 128 : v === Number.NEGATIVE_INFINITY ? -(2 ** 128) : v;

function newStats() {
  return {
    maxUlp: 0,
    worstInput: undefined, // bit pattern (first found) reaching maxUlp, when maxUlp > 0
    worstFast: undefined,
    worstRef: undefined,
    overHalf: 0,
    overOne: 0,
    nanMismatches: 0,
    firstNanMismatch: undefined,
    signedZeroMismatches: 0,
  };
}

function compareFloat(s, inBits, fast, ref, n) {
  const f = new Uint32Array(fast.buffer, fast.byteOffset, n);
  for (let j = 0; j < n; j++) {
    const y = fast[j];
    const r = ref[j];
    if (y === r) {
      if (y === 0 && Object.is(y, -0) !== Object.is(r, -0)) s.signedZeroMismatches++;
      continue;
    }
    const yn = Number.isNaN(y);
    const rn = Number.isNaN(r);
    if (yn || rn) {
      if (yn && rn) continue; // NaN equals NaN, whatever the payload
      s.nanMismatches++;
      s.firstNanMismatch ??= { input: inBits[j], fast: f[j], ref: r };
      continue;
    }
    record(s, Math.abs(capInf(y) - capInf(r)) / ulpAt(capInf(r)), inBits[j], y, r);
  }
}

/** Counts an error of `d` ulps (0.5 and 1 as the float32 thresholds) and keeps the worst. */
function record(s, d, input, fast, ref) {
  if (d > 0.5) s.overHalf++;
  if (d > 1) s.overOne++;
  if (d > s.maxUlp) {
    s.maxUlp = d;
    s.worstInput = input;
    s.worstFast = fast;
    s.worstRef = ref;
  }
}

function compareInt(s, inBits, fast, ref, n) {
  for (let j = 0; j < n; j++) {
    const a = fast[j];
    const b = ref[j];
    // Integers: any difference (at least 1) counts beyond 0.5.
    if (a !== b) record(s, Math.abs(a - b), inBits[j], a, b);
  }
}

const hex = (b) => `0x${(b >>> 0).toString(16).padStart(8, "0")}`;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsToFloat = (b) => {
  u32[0] = b;
  return f32[0];
};
const showInput = (b) => (b === undefined ? "-" : `${hex(b)} (${bitsToFloat(b)})`);

// The reference must carry more than float32 precision: sigmoid's residuals are nonzero.
{
  const probe = ACTIVATIONS.find((a) => a.name === "sigmoid");
  for (let j = 0; j < 64; j++) floatsBuf[j] = 0.1 + j / 7;
  await runReference(probe, 64);
  if (residualCount === 0) {
    throw new Error("f64-ref: every residual is 0; the reference would be only float32");
  }
}

const results = [];
const meta = {
  stride: opts.stride,
  patternsPerFunction: count,
  chunkSize,
  chunks,
  node: process.version,
  fast: backends[FAST].description,
  reference: backends[REF].description,
  startedAt: new Date().toISOString(),
};
const writeJson = () => {
  if (opts.out !== undefined) {
    writeFileSync(opts.out, `${JSON.stringify({ ...meta, results }, null, 2)}\n`);
  }
};

console.error(
  `${selected.length} functions × ${count} patterns (stride ${opts.stride}) in ${chunks} chunk(s) of ${chunkSize}; ` +
    `fast: ${meta.fast}; reference: ${meta.reference}`,
);
for (const info of selected) {
  const s = newStats();
  let dtype;
  let fastSeconds = 0;
  let refSeconds = 0;
  let heapReserved;
  let residuals = 0;
  const t0 = performance.now();
  for (let c = 0; c < chunks; c++) {
    const n = fillChunk(c);
    const fast = await run(FAST, info, n);
    const ref = await runReference(info, n);
    residuals += residualCount;
    fastSeconds += fast.seconds;
    refSeconds += ref.seconds;
    if (ref.dtype !== (fast.dtype === "float32" ? "float64" : fast.dtype)) {
      throw new Error(`${info.name}: reference dtype ${ref.dtype} for a ${fast.dtype} result`);
    }
    dtype ??= fast.dtype;
    if (fast.dtype === "float32") compareFloat(s, bitsBuf, fast.data, ref.data, n);
    else if (fast.dtype === "int32") compareInt(s, bitsBuf, fast.data, ref.data, n);
    else throw new Error(`${info.name}: unexpected output dtype ${fast.dtype}`);
    // Memory stays flat: every array is disposed, so the heaps hold nothing between chunks and
    // never grow after the first chunk.
    const reserved = Object.values(backends).map((b) => b.heapBytes.reserved);
    for (const [name, b] of Object.entries(backends)) {
      if (b.heapBytes.used !== 0 || b.liveBuffers() !== 0) {
        throw new Error(
          `${info.name}: ${name} holds ${b.liveBuffers()} buffers (${b.heapBytes.used} heap bytes) after chunk ${c}`,
        );
      }
    }
    if (heapReserved === undefined || c === 0) heapReserved = reserved;
    else if (reserved.some((r, k) => r > heapReserved[k])) {
      console.error(`${info.name}: heap grew after chunk ${c}: ${reserved.join(", ")} bytes`);
      heapReserved = reserved;
    }
    if ((c + 1) % 64 === 0 || c + 1 === chunks) {
      const el = (performance.now() - t0) / 1000;
      console.error(
        `  ${info.name} ${c + 1}/${chunks} chunks, ${el.toFixed(1)} s, max ulp ${s.maxUlp.toFixed(4)}, ` +
          `>0.5 ulp ${s.overHalf}, >1 ulp ${s.overOne}, NaN ${s.nanMismatches}, ` +
          `rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
      );
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    function: info.name,
    dtype,
    params: PARAMS[info.name] ?? {},
    patterns: count,
    maxUlp: s.maxUlp,
    worstInput: s.worstInput === undefined ? null : hex(s.worstInput),
    worstInputValue: s.worstInput === undefined ? null : bitsToFloat(s.worstInput),
    worstFast: s.worstFast ?? null,
    worstRef: s.worstRef ?? null,
    overHalfUlp: s.overHalf,
    overOneUlp: s.overOne,
    nanMismatches: s.nanMismatches,
    firstNanMismatch:
      s.firstNanMismatch === undefined
        ? null
        : {
            input: hex(s.firstNanMismatch.input),
            fast: hex(s.firstNanMismatch.fast),
            ref: s.firstNanMismatch.ref,
          },
    signedZeroMismatches: s.signedZeroMismatches,
    nonzeroResiduals: residuals,
    seconds,
    fastSeconds,
    refSeconds,
    secondsPerChunk: seconds / chunks,
    heapReservedBytes: heapReserved,
    rssBytes: process.memoryUsage().rss,
  };
  results.push(result);
  writeJson();
  console.error(
    `${info.name}: max ulp ${s.maxUlp.toFixed(4)} at ${showInput(s.worstInput)}, ${seconds.toFixed(1)} s ` +
      `(fast ${fastSeconds.toFixed(2)} s, reference ${refSeconds.toFixed(2)} s)`,
  );
}

for (const b of Object.values(backends)) b.stopThreads();

console.log(
  `\n${count} patterns per function (stride ${opts.stride}); fast: ${meta.fast}; reference: ${meta.reference}\n`,
);
console.log(
  "| function | max error (ulp) | worst input | results > 0.5 ulp | > 1 ulp | NaN mismatches | signed zeros | seconds |",
);
console.log("|---|---:|---|---:|---:|---:|---:|---:|");
for (const r of results) {
  const worst = r.worstInput === null ? "-" : `${r.worstInput} (${r.worstInputValue})`;
  console.log(
    `| ${r.function} | ${r.dtype === "int32" ? r.maxUlp : r.maxUlp.toFixed(4)} | ${worst} | ${r.overHalfUlp} | ${r.overOneUlp} | ${r.nanMismatches} | ${r.signedZeroMismatches} | ${r.seconds.toFixed(2)} |`,
  );
}
if (opts.out !== undefined) console.error(`results written to ${opts.out}`);
