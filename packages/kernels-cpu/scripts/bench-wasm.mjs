// Median time of `await mx.evaluate(fn(x))` per CPU path, same process, interleaved:
//   compiled+pool  compiled JavaScript, output storage reused from the pool
//   wasm-staged    WebAssembly SIMD over JavaScript storage (copies through staging), 1 thread
//   wasm-1t        WebAssembly SIMD on the shared heap (no copies), 1 thread
//   wasm           the default: heap + worker threads (one per core)
// Run after `pnpm build`:  node scripts/bench-wasm.mjs [log2 sizes…]   (default: 20 24)
import * as mx from "@nnkit/core";
import { CpuBackend } from "../dist/index.js";

const variants = {
  "compiled+pool": { mode: "compiled", poolBytes: 256 * 2 ** 20 },
  "wasm-staged": { mode: "wasm", heap: false },
  "wasm-1t": { mode: "wasm", threads: 1 },
  wasm: { mode: "wasm" },
};
const modes = Object.keys(variants);
for (const mode of modes) {
  const name = `bench-${mode}`;
  const backend = new CpuBackend({ name, ...variants[mode] });
  await backend.startThreads();
  mx.registerBackend(name, () => backend);
}

const activations = {
  relu: (x) => mx.maximum(x, 0),
  relu6: (x) => mx.minimum(mx.maximum(x, 0), 6),
  hardswish: (x) => mx.divide(mx.multiply(x, mx.minimum(mx.maximum(mx.add(x, 3), 0), 6)), 6),
  softsign: (x) => mx.divide(x, mx.add(1, mx.abs(x))),
};

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [20, 24];
for (const log2 of sizes) {
  const n = 2 ** log2;
  const host = new Float32Array(n);
  for (let i = 0; i < n; i++) host[i] = (Math.random() - 0.5) * 20;
  const inputs = {};
  for (const mode of modes) {
    await mx.setDefaultDevice(`bench-${mode}`);
    inputs[mode] = mx.array(host);
  }
  const reps = log2 >= 24 ? 15 : 41;
  for (const [name, fn] of Object.entries(activations)) {
    const times = Object.fromEntries(modes.map((m) => [m, []]));
    for (let r = 0; r < reps + 3; r++) {
      for (const mode of modes) {
        await mx.setDefaultDevice(`bench-${mode}`);
        const t0 = performance.now();
        const y = fn(inputs[mode]);
        await mx.evaluate(y);
        const t = performance.now() - t0;
        y.dispose();
        if (r >= 3) times[mode].push(t);
      }
    }
    const c = median(times["compiled+pool"]);
    const cells = modes.map((m) => `${m} ${median(times[m]).toFixed(2).padStart(8)} ms`);
    const w = median(times.wasm);
    console.log(
      `2^${log2} ${name.padEnd(10)} ${cells.join("   ")}   speed-up x${(c / w).toFixed(2)}`,
    );
  }
  for (const mode of modes) inputs[mode].dispose();
}
