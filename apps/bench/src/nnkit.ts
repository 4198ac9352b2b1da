import * as mx from "@nnkit/core";
import { CpuBackend } from "@nnkit/kernels-cpu";
import { type BenchCase, inputShape } from "./cases.js";
import type { Contestant, LoadedInput, Regime, Workload } from "./contestant.js";

/** Array-kind parameters (prelu's alpha) become one-element arrays, made once per workload. */
function paramArrays(c: BenchCase): Record<string, mx.Array | number> {
  const out: Record<string, mx.Array | number> = {};
  for (const p of c.info.params) {
    const v = c.params[p.name] as number;
    out[p.name] = p.kind === "array" ? mx.array([v], "float32") : v;
  }
  return out;
}

/**
 * nnkit on its CPU backend (its defaults: WebAssembly SIMD on the shared heap, one thread per
 * core). kept: `const y = fn(x); await mx.evaluate(y)`; readBack:
 * `await fn(x).data()`. The CPU backend is synchronous, so readBack adds only the copy out.
 * The input is made once per size; each call's result is disposed before the next call.
 */
export const nnkitCpu: Contestant = {
  id: "nnkit",
  kind: "nnkit",
  label: "nnkit cpu",
  packages: "@nnkit/core, @nnkit/kernels-cpu, @nnkit/nn-functions (this checkout)",
  async init() {
    await mx.setDefaultDevice("cpu");
    // Worker threads start at the first large kernel unless started here; start them now so
    // that warm-up, not a sample, pays for it. ("auto": one thread per core.)
    const backend = mx.getBackend("cpu");
    if (backend instanceof CpuBackend) await backend.startThreads();
    const cpu = mx.listBackends().find((b) => b.name === "cpu");
    return {
      device: mx.getDefaultDevice(),
      ...(cpu?.description ? { backend: cpu.description } : {}),
    };
  },
  async load(data): Promise<LoadedInput> {
    const flat = mx.array(data);
    await mx.evaluate(flat);
    return {
      async setup(c: BenchCase, regime: Regime): Promise<Workload> {
        const x = c.rowwise ? flat.reshape(inputShape(c, data.length)) : flat;
        await mx.evaluate(x);
        const params = paramArrays(c);
        await mx.evaluate(...Object.values(params).filter((v) => v instanceof mx.Array));
        const call = () => c.info.apply(x, params);
        const run =
          regime === "kept"
            ? async () => {
                const y = call();
                await mx.evaluate(y);
                y.dispose();
              }
            : async () => {
                const y = call();
                await y.data();
                y.dispose();
              };
        return {
          run,
          async output() {
            const y = call();
            try {
              return await y.data();
            } finally {
              y.dispose();
            }
          },
          dispose() {
            for (const v of Object.values(params)) if (v instanceof mx.Array) v.dispose();
            if (x !== flat) x.dispose();
          },
        };
      },
      dispose() {
        flat.dispose();
      },
    };
  },
  async close() {},
};

/** Device buffers nnkit holds now; the bench fails if this does not return to its start. */
export function nnkitLiveBuffers(): number {
  return mx.getStats().liveBuffers;
}
