// Median time of `await mx.evaluate(fn(x))` for the transcendental activations: compiled
// JavaScript, and the WebAssembly SIMD kernels with the reproducible and with the fast
// (error-bounded) vector math (all one thread, interleaved in one process).
// Run after `pnpm build`:  node scripts/bench-math.mjs [log2 size]   (default: 20)
import * as mx from "@nnkit/core";
import { CpuBackend } from "../dist/index.js";

const variants = {
  compiled: { mode: "compiled", poolBytes: 256 * 2 ** 20 },
  reproducible: { mode: "wasm", threads: 1, math: "reproducible" },
  fast: { mode: "wasm", threads: 1, math: "fast" },
};
const modes = Object.keys(variants);
for (const mode of modes) {
  const backend = new CpuBackend({ name: `bench-${mode}`, ...variants[mode] });
  mx.registerBackend(backend.name, () => backend);
}

const atMinusInf = (x, v) => mx.where(mx.equal(x, Number.NEGATIVE_INFINITY), -0, v);
const activations = {
  sigmoid: (x) => mx.sigmoid(x),
  tanh: (x) => mx.tanh(x),
  gelu: (x) => atMinusInf(x, mx.multiply(mx.multiply(x, 0.5), mx.erfc(mx.divide(x, -Math.SQRT2)))),
  elu: (x) => mx.where(mx.greater(x, 0), x, mx.multiply(mx.expm1(x), 1)),
  softplus: (x) => mx.logaddexp(x, 0),
  mish: (x) => atMinusInf(x, mx.multiply(x, mx.tanh(mx.logaddexp(x, 0)))),
};

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const log2 = Number(process.argv[2] ?? 20);
const n = 2 ** log2;
const host = new Float32Array(n);
for (let i = 0; i < n; i++) host[i] = (Math.random() - 0.5) * 20;
const inputs = {};
for (const mode of modes) {
  await mx.setDefaultDevice(`bench-${mode}`);
  inputs[mode] = mx.array(host);
}
const reps = 21;
for (const [name, fn] of Object.entries(activations)) {
  const times = Object.fromEntries(modes.map((m) => [m, []]));
  for (let r = 0; r < reps + 3; r++) {
    for (const mode of modes) {
      await mx.setDefaultDevice(`bench-${mode}`);
      const t0 = performance.now();
      const y = fn(inputs[mode]);
      await mx.evaluate(y);
      if (r >= 3) times[mode].push(performance.now() - t0);
      y.dispose();
    }
  }
  const cells = modes.map((m) => `${m} ${median(times[m]).toFixed(2).padStart(8)} ms`);
  const speedUp = median(times.reproducible) / median(times.fast);
  console.log(`2^${log2} ${name.padEnd(9)} ${cells.join("   ")}   fast x${speedUp.toFixed(2)}`);
}
