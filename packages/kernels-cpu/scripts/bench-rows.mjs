// Row functions against one elementwise exp, in ns per element: softmax, logSoftmax and softmin
// over rows of 1024 cost their passes over the row (max, exp-and-sum, scale) on top of the exps,
// so softmax / exp is the overhead of the row structure; "neg+softmax" is softmin as two
// kernels (a negated copy, then softmax), as it ran before the fused softmin. One WebAssembly thread, fast math, 2^20
// values uniform in [-6, 6), medians of 21 interleaved rounds.
// Run after `pnpm build`:  node scripts/bench-rows.mjs [log2 size]   (default: 20)
import * as mx from "@nnkit/core";
import { CpuBackend } from "../dist/index.js";

const log2 = Number(process.argv[2] ?? 20);
if (!Number.isInteger(log2) || log2 < 10 || log2 > 26) {
  throw new Error(`bench-rows: log2 size must be an integer in [10, 26], got ${process.argv[2]}`);
}
const backend = new CpuBackend({ name: "rows-1t", mode: "wasm", threads: 1, math: "fast" });
mx.registerBackend("rows-1t", () => backend);
await mx.setDefaultDevice("rows-1t");

const n = 2 ** log2;
const host = new Float32Array(n);
for (let i = 0; i < n; i++) host[i] = (Math.random() - 0.5) * 12;
const x = mx.reshape(mx.array(host), [n / 1024, 1024]);
await mx.evaluate(x);

const fns = {
  scale: (v) => mx.multiply(v, 0.1),
  exp: (v) => mx.exp(v),
  softmax: (v) => mx.softmax(v, -1),
  logSoftmax: (v) => mx.logSoftmax(v, -1),
  softmin: (v) => mx.softmin(v, -1),
  "neg+softmax": (v) => mx.softmax(mx.negative(v), -1),
};
const times = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
for (let r = 0; r < 21; r++) {
  for (const [k, f] of Object.entries(fns)) {
    const t0 = performance.now();
    const y = f(x);
    await mx.evaluate(y);
    times[k].push(performance.now() - t0);
    y.dispose();
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const nsPerElement = (k) => (median(times[k]) * 1e6) / n;
for (const k of Object.keys(fns)) console.log(`${k.padEnd(11)} ${nsPerElement(k).toFixed(2)} ns/element`);
console.log(`softmax / exp ${(nsPerElement("softmax") / nsPerElement("exp")).toFixed(2)}, logSoftmax / exp ${(nsPerElement("logSoftmax") / nsPerElement("exp")).toFixed(2)}`);
