import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { type BenchCase, inputShape } from "../cases.js";
import type { Contestant, LoadedInput, Regime, Unsupported, Workload } from "../contestant.js";
import { packageDir, packageVersion } from "./versions.js";

/** `alpha` is prelu's weight, a scalar tensor made once per workload. */
type Op = (x: tf.Tensor, alpha: tf.Tensor) => tf.Tensor;

/**
 * tfjs-core's own op for each function it has (native kernels unless noted). Functions it
 * lacks are left out, not rebuilt from smaller ops.
 */
function opFor(c: BenchCase): Op | string {
  const p = c.params;
  switch (c.name) {
    case "elu":
      return (p.alpha as number) === 1 ? (x) => tf.elu(x) : "tf.elu has a fixed alpha of 1";
    case "hardTanh":
      return (x) => tf.clipByValue(x, p.minVal as number, p.maxVal as number);
    case "leakyRelu":
      return (x) => tf.leakyRelu(x, p.negativeSlope as number);
    case "logSigmoid":
      return (x) => tf.logSigmoid(x);
    case "logSoftmax":
      return (x) => tf.logSoftmax(x, -1);
    case "prelu":
      return (x, alpha) => tf.prelu(x, alpha);
    case "relu":
      return (x) => tf.relu(x);
    case "relu6":
      return (x) => tf.relu6(x);
    case "selu":
      return (x) => tf.selu(x);
    case "sigmoid":
      return (x) => tf.sigmoid(x);
    case "softmax":
      return (x) => tf.softmax(x, -1);
    case "softplus":
      return (x) => tf.softplus(x);
    case "step":
      return (p.threshold as number) === 0 ? (x) => tf.step(x, 0) : "tf.step has no threshold";
    case "tanh":
      return (x) => tf.tanh(x);
    default:
      return `tfjs-core ${packageVersion("@tensorflow/tfjs-core")} has no op for this function`;
  }
}

/** How tfjs runs a function, where a footnote is due. */
const NOTES: Readonly<Record<string, string>> = {
  hardTanh: "as tf.clipByValue(x, -1, 1)",
  logSigmoid: "tf.logSigmoid is a composite inside tfjs-core (neg, softplus, neg)",
  logSoftmax: "tf.logSoftmax is a composite inside tfjs-core (max, sub, exp, sum, log, sub)",
  prelu: "alpha as a scalar tensor",
  selu: "tf.selu uses full-precision constants (MLX: 1.0507, 1.67326)",
  step: "tf.step is x > 0 (MLX: x >= 0) and returns float32 (MLX: int32); no input is exactly 0",
};

class TfjsPeer implements Contestant {
  readonly kind = "peer";
  readonly id: string;
  readonly label: string;
  readonly packages: string;

  constructor(private readonly backend: "cpu" | "wasm") {
    this.id = `tfjs-${backend}`;
    this.label = `TF.js ${backend}`;
    const pkg = `@tensorflow/tfjs-backend-${backend}`;
    this.packages = `@tensorflow/tfjs-core ${packageVersion("@tensorflow/tfjs-core")}, ${pkg} ${packageVersion(pkg)}`;
  }

  /** tfjs has one global backend; both TF.js peers share it, so each call makes sure of it. */
  private async use(): Promise<void> {
    if (tf.getBackend() !== this.backend) {
      if (!(await tf.setBackend(this.backend))) {
        throw new Error(`TF.js: backend ${this.backend} failed to initialise`);
      }
    }
  }

  async init(): Promise<Record<string, string>> {
    // Debug checks off, as in production; the wasm binaries come from the installed package.
    tf.enableProdMode();
    if (this.backend === "wasm")
      setWasmPaths(`${packageDir("@tensorflow/tfjs-backend-wasm")}/dist/`);
    await this.use();
    await tf.ready();
    started = true;
    const settings: Record<string, string> = { prodMode: "on" };
    if (this.backend === "wasm") {
      settings.simd = String(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      settings.threads = String(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    }
    return settings;
  }

  async load(data: Float32Array): Promise<LoadedInput> {
    await this.use();
    const flat = tf.tensor1d(data, "float32");
    return {
      setup: async (c: BenchCase, regime: Regime): Promise<Workload | Unsupported> => {
        const op = opFor(c);
        if (typeof op === "string") return { unsupported: op };
        await this.use();
        const x = c.rowwise ? tf.reshape(flat, inputShape(c, data.length)) : flat;
        const alpha = tf.scalar(c.params.alpha ?? 0, "float32");
        const call = () => op(x, alpha);
        const run =
          regime === "kept"
            ? async () => {
                await this.use();
                call().dispose();
              }
            : async () => {
                await this.use();
                const y = call();
                await y.data();
                y.dispose();
              };
        const note = NOTES[c.name];
        return {
          run,
          output: async () => {
            await this.use();
            const y = call();
            try {
              return await y.data();
            } finally {
              y.dispose();
            }
          },
          notes: () => (note ? [note] : []),
          dispose: () => {
            alpha.dispose();
            if (x !== flat) x.dispose();
          },
        };
      },
      dispose: () => flat.dispose(),
    };
  }

  async close(): Promise<void> {}
}

export const tfjsCpu: Contestant = new TfjsPeer("cpu");
export const tfjsWasm: Contestant = new TfjsPeer("wasm");

let started = false;

/** Tensors TF.js holds now (the bench checks that the count returns to its start). */
export function tfjsLiveTensors(): number {
  return started ? tf.memory().numTensors : 0;
}
