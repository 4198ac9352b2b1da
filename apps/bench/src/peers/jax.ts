import { init, type Array as JaxArray, jit, nn, numpy as np } from "@jax-js/jax";
import { type BenchCase, inputShape } from "../cases.js";
import type { Contestant, LoadedInput, Regime, Unsupported, Workload } from "../contestant.js";
import { packageVersion } from "./versions.js";

type Fn = (x: JaxArray) => JaxArray;

const VERSION = packageVersion("@jax-js/jax");

/** jax-js's own function (jax.nn, or jax.numpy for tanh) for each function it has. */
function fnFor(c: BenchCase): Fn | string {
  const p = c.params;
  switch (c.name) {
    case "celu":
      return (x) => nn.celu(x, p.alpha as number);
    case "elu":
      return (x) => nn.elu(x, p.alpha as number);
    case "gelu":
      return (x) => nn.gelu(x, { approximate: false });
    case "geluApprox":
      return (x) => nn.gelu(x, { approximate: true });
    case "glu":
      return (x) => nn.glu(x, p.axis as number);
    case "hardTanh":
      return p.minVal === -1 && p.maxVal === 1
        ? (x) => nn.hardTanh(x)
        : "jax.nn.hard_tanh has fixed bounds";
    case "hardswish":
      return (x) => nn.hardSwish(x);
    case "leakyRelu":
      return (x) => nn.leakyRelu(x, p.negativeSlope as number);
    case "logSigmoid":
      return (x) => nn.logSigmoid(x);
    case "logSoftmax":
      return (x) => nn.logSoftmax(x, p.axis as number);
    case "mish":
      return (x) => nn.mish(x);
    case "relu":
      return (x) => nn.relu(x);
    case "relu6":
      return (x) => nn.relu6(x);
    case "selu":
      return (x) => nn.selu(x);
    case "sigmoid":
      return (x) => nn.sigmoid(x);
    case "silu":
      return (x) => nn.silu(x);
    case "softmax":
      return (x) => nn.softmax(x, p.axis as number);
    case "softplus":
      return (x) => nn.softplus(x);
    case "softsign":
      return (x) => nn.softSign(x);
    case "tanh":
      return (x) => np.tanh(x);
    default:
      return `jax-js ${VERSION} has no such function (neither has JAX's jax.nn)`;
  }
}

const NOTES: Readonly<Record<string, string>> = {
  selu: "jax.nn.selu uses full-precision constants (MLX: 1.0507, 1.67326)",
  tanh: "as jax.numpy.tanh",
};

/**
 * jax-js on one device, every function wrapped in `jit` (how JAX code is run for speed; jit
 * fuses the function's primitives into one kernel). jax-js arrays follow move semantics: an
 * op consumes its arguments, so each call passes `x.ref`. kept: `await y.blockUntilReady()`;
 * readBack: `await y.data()`.
 */
class JaxPeer implements Contestant {
  readonly kind = "peer";
  readonly id: string;
  readonly label: string;
  readonly packages = `@jax-js/jax ${VERSION}`;

  /**
   * @param maxLog2 largest size run (2^maxLog2); bigger sizes are reported as skipped with
   *   `tooBig` as the reason. Lifted by `--no-size-limits`.
   */
  constructor(
    private readonly device: "cpu" | "wasm",
    private maxLog2 = Number.POSITIVE_INFINITY,
    private readonly tooBig = "",
  ) {
    this.id = `jax-${device}`;
    this.label = `jax-js ${device}`;
  }

  liftSizeLimit(): void {
    this.maxLog2 = Number.POSITIVE_INFINITY;
  }

  async init(): Promise<Record<string, string>> {
    const ok = await init(this.device);
    if (!ok.includes(this.device)) throw new Error(`jax-js: device ${this.device} unavailable`);
    return {
      device: this.device,
      ...(this.device === "cpu"
        ? { note: "interpreted JS; jax-js's README: 'only meant for debugging'" }
        : {}),
      jit: "on",
      ...(this.device === "wasm"
        ? {
            threads:
              typeof (globalThis as { Worker?: unknown }).Worker === "function"
                ? "workers"
                : "1 (Node has no global Worker)",
          }
        : {}),
    };
  }

  async load(data: Float32Array): Promise<LoadedInput> {
    if (data.length > 2 ** this.maxLog2) {
      return { setup: async () => ({ unsupported: this.tooBig }), dispose() {} };
    }
    const flat = np.array(data, { shape: [data.length], device: this.device });
    await flat.blockUntilReady();
    return {
      setup: async (c: BenchCase, regime: Regime): Promise<Workload | Unsupported> => {
        const fn = fnFor(c);
        if (typeof fn === "string") return { unsupported: fn };
        const x = c.rowwise ? flat.ref.reshape(inputShape(c, data.length)) : flat.ref;
        await x.blockUntilReady();
        const f = jit(fn);
        const run =
          regime === "kept"
            ? async () => {
                const y = f(x.ref);
                await y.blockUntilReady();
                y.dispose();
              }
            : async () => {
                await f(x.ref).data(); // data() consumes y
              };
        const note = NOTES[c.name];
        return {
          run,
          output: async () => await f(x.ref).data(),
          notes: () => (note ? [note] : []),
          dispose: () => {
            f.dispose();
            x.dispose();
          },
        };
      },
      dispose: () => flat.dispose(),
    };
  }

  async close(): Promise<void> {}
}

/**
 * jax-js's "cpu" device interprets every element in JS (about 2–5 s a call at 2^24 here), so the
 * full run stops it at 2^20 to stay within its time budget.
 */
export const jaxCpu = new JaxPeer(
  "cpu",
  20,
  "not run above 2^20: jax-js's cpu device is an interpreter (~2–5 s a call at 2^24; its README: 'only meant for debugging'); --no-size-limits runs it",
);
export const jaxWasm: Contestant = new JaxPeer("wasm");
