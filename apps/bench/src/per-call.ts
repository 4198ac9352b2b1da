/**
 * Per-call overhead, side by side: one small activation call (default relu on 1,024 float32
 * values) in loops of many calls, nnkit against TF.js's WebAssembly backend, read back
 * (`await data()`) and kept (nnkit: `await evaluate`; TF.js computes eagerly, so kept is the
 * op call alone). The four variants are interleaved round by round so that the machine's
 * drift hits them alike; the medians and their ratio are what to quote.
 *
 *   pnpm --filter @nnkit/bench run per-call [function] [size] [calls] [rounds]
 */
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import * as nn from "@nnkit/nn-functions";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { packageDir, packageVersion } from "./peers/versions.js";

/** The unary functions both libraries have under one name, with MLX's defaults. */
const pairs = {
  relu: [nn.relu, tf.relu],
  sigmoid: [nn.sigmoid, tf.sigmoid],
  tanh: [nn.tanh, tf.tanh],
  elu: [nn.elu, tf.elu],
} as const satisfies Record<
  string,
  readonly [(x: mx.Array) => mx.Array, (x: tf.Tensor) => tf.Tensor]
>;

function positiveInteger(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`per-call: ${what} must be a positive integer, got ${text}`);
  return n;
}

const name = process.argv[2] ?? "relu";
if (!(name in pairs))
  throw new Error(
    `per-call: function must be one of ${Object.keys(pairs).join(", ")}, got ${name}`,
  );
const [nnFn, tfFn] = pairs[name as keyof typeof pairs];
const size = positiveInteger(process.argv[3], 1024, "size");
const calls = positiveInteger(process.argv[4], 3000, "calls");
const rounds = positiveInteger(process.argv[5], 9, "rounds");

tf.enableProdMode();
setWasmPaths(`${packageDir("@tensorflow/tfjs-backend-wasm")}/dist/`);
await tf.setBackend("wasm");
await tf.ready();

const host = new Float32Array(size);
for (let i = 0; i < size; i++) host[i] = ((i * 7919) % 1201) / 100 - 6.005; // in [-6, 6), no exact 0
const x = mx.array(host);
await mx.evaluate(x);
const tx = tf.tensor1d(host);

interface Variant {
  library: "nnkit" | "TF.js wasm";
  mode: "read back" | "kept";
  call: () => Promise<void>;
  /** µs per call, one entry per round. */
  samples: number[];
}

const variants: Variant[] = [
  {
    library: "nnkit",
    mode: "read back",
    call: async () => {
      const y = nnFn(x);
      await y.data();
      y.dispose();
    },
    samples: [],
  },
  {
    library: "TF.js wasm",
    mode: "read back",
    call: async () => {
      const y = tfFn(tx);
      await y.data();
      y.dispose();
    },
    samples: [],
  },
  {
    library: "nnkit",
    mode: "kept",
    call: async () => {
      const y = nnFn(x);
      await mx.evaluate(y);
      y.dispose();
    },
    samples: [],
  },
  {
    library: "TF.js wasm",
    mode: "kept",
    call: async () => {
      tfFn(tx).dispose();
    },
    samples: [],
  },
];

// Warm-up: JIT tiers, pools and heap growth settle before anything is timed.
for (const v of variants) for (let i = 0; i < calls; i++) await v.call();
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + r) % variants.length] as Variant; // rotate who goes first
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await v.call();
    v.samples.push(((performance.now() - t0) / calls) * 1000);
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
function medianOf(library: Variant["library"], mode: Variant["mode"]): number {
  const v = variants.find((c) => c.library === library && c.mode === mode);
  if (v === undefined) throw new Error(`per-call: no ${library} ${mode} variant`);
  return median(v.samples);
}

console.log(
  `${name} on ${size} float32 values, ${rounds} rounds of ${calls} calls; TF.js ${packageVersion("@tensorflow/tfjs-core")}, Node ${process.version}`,
);
for (const v of variants) {
  const label = `${v.library} ${v.mode}`.padEnd(22);
  const range = `min ${Math.min(...v.samples).toFixed(2)}, max ${Math.max(...v.samples).toFixed(2)}`;
  console.log(`${label} median ${median(v.samples).toFixed(2)} µs  (${range})`);
}
for (const mode of ["read back", "kept"] as const) {
  const ratio = medianOf("nnkit", mode) / medianOf("TF.js wasm", mode);
  console.log(`nnkit / TF.js wasm, ${mode}: ${ratio.toFixed(2)}×`);
}
