// Per-call overhead: median µs of one small activation call in a loop of 5,000 (9 rounds, after
// 5,000 warm-up calls), `await y.data()` (readback, default) or `await mx.evaluate(y)` (kept).
// Run after `pnpm build`:  node scripts/bench-per-call.mjs [activation] [readback|kept] [size]
import * as mx from "@nnkit/core";
import "../dist/index.js";
// Not a dependency of this package: imported from the sibling package's build.
import * as nn from "../../nn-functions/dist/index.js";

const name = process.argv[2] ?? "relu";
const mode = process.argv[3] ?? "readback";
const size = Number(process.argv[4] ?? 1024);
const fn = nn[name];
if (typeof fn !== "function") throw new Error(`no activation ${name}`);
if (mode !== "readback" && mode !== "kept") throw new Error(`mode must be readback or kept`);

const host = new Float32Array(size);
for (let i = 0; i < size; i++) host[i] = Math.random() * 12 - 6;
const x = mx.array(host);
await mx.evaluate(x);

async function one() {
  const y = fn(x);
  if (mode === "readback") await y.data();
  else await mx.evaluate(y);
  y.dispose();
}

const calls = 5000;
for (let i = 0; i < calls; i++) await one();
const times = [];
for (let r = 0; r < 9; r++) {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await one();
  times.push(((performance.now() - t0) / calls) * 1000);
}
times.sort((a, b) => a - b);
console.log(
  `${name} ${mode} n=${size}: median ${times[4].toFixed(2)} µs, min ${times[0].toFixed(2)} µs`,
);
