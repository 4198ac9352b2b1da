import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InferenceSession, Tensor } from "onnxruntime-common";
import { type BenchCase, inputShape, outputShape } from "../../cases.js";
import type { Contestant, LoadedInput, Regime, Unsupported, Workload } from "../../contestant.js";
import { singleOpModel } from "./model.js";
import { onnxOpFor } from "./ops.js";

/** What the bench needs of onnxruntime-node and onnxruntime-web: the same common API. */
export interface OrtModule {
  readonly InferenceSession: { create: typeof InferenceSession.create };
  readonly Tensor: typeof Tensor;
}

export interface OrtPeerOptions {
  readonly id: string;
  readonly label: string;
  readonly packages: string;
  /** Loads the runtime and returns it with its settings. */
  readonly load: () => Promise<{ ort: OrtModule; settings: Record<string, string> }>;
  readonly sessionOptions?: InferenceSession.SessionOptions;
  /**
   * Report kernel time from ONNX Runtime's profiler instead of the wall clock of `run`
   * (kept regime only: the profiler's kernel time has no read-back).
   */
  readonly kernelTimeOnly?: boolean;
}

interface ProfileEvent {
  readonly cat: string;
  readonly name: string;
  readonly ts: number;
  readonly dur: number;
  readonly args?: { readonly op_name?: string };
}

/** Per run: the summed duration (ms) of the kernels inside each `model_run`, and their ops. */
function kernelTimes(events: readonly ProfileEvent[]): { ms: number[]; ops: string[][] } {
  const runs = events.filter((e) => e.name === "model_run").sort((a, b) => a.ts - b.ts);
  const kernels = events.filter((e) => e.cat === "Node" && e.name.endsWith("kernel_time"));
  const ms: number[] = [];
  const ops: string[][] = [];
  for (const r of runs) {
    const inside = kernels.filter((k) => k.ts >= r.ts && k.ts + k.dur <= r.ts + r.dur);
    ms.push(inside.reduce((s, k) => s + k.dur, 0) / 1000);
    ops.push(inside.map((k) => k.args?.op_name ?? k.name));
  }
  return { ms, ops };
}

/**
 * ONNX Runtime running a one-op model built in memory (onnx/model.ts). The ordinary call is
 * `await session.run({ x })`, which returns the result in a JS typed array: kept and read back
 * are the same work for ONNX Runtime (read back adds `await y.getData()`, which is free here).
 */
export class OrtPeer implements Contestant {
  readonly kind = "peer";
  readonly id: string;
  readonly label: string;
  readonly packages: string;
  readonly regimes?: readonly Regime[];
  private ort: OrtModule | undefined;

  constructor(private readonly o: OrtPeerOptions) {
    this.id = o.id;
    this.label = o.label;
    this.packages = o.packages;
    // The profiler's kernel time has no read back: the kernel-time column is kept-only.
    if (o.kernelTimeOnly) this.regimes = ["kept"];
  }

  async init(): Promise<Record<string, string>> {
    const { ort, settings } = await this.o.load();
    this.ort = ort;
    return settings;
  }

  async load(data: Float32Array): Promise<LoadedInput> {
    const ort = this.ort;
    if (!ort) throw new Error(`${this.id}: init() was not called`);
    return {
      setup: async (c: BenchCase, regime: Regime): Promise<Workload | Unsupported> => {
        const op = onnxOpFor(c);
        if (typeof op === "string") return { unsupported: op };
        const n = data.length;
        const model = singleOpModel({
          node: op.node,
          inputShape: inputShape(c, n),
          outputShape: outputShape(c, n),
        });
        const profileDir = this.o.kernelTimeOnly
          ? mkdtempSync(join(tmpdir(), "nnkit-bench-ort-"))
          : undefined;
        const session = await ort.InferenceSession.create(model, {
          ...this.o.sessionOptions,
          ...(profileDir
            ? { enableProfiling: true, profileFilePrefix: join(profileDir, "profile") }
            : {}),
        });
        const feeds = { x: new ort.Tensor("float32", data, inputShape(c, n)) };
        const call = async () => {
          const out = await session.run(feeds);
          return out.y as Tensor;
        };
        let kernelOps: string[] | undefined;
        const notes = () => {
          const list = op.note ? [op.note] : [];
          if (kernelOps && kernelOps.length !== 1) {
            list.push(
              `ONNX Runtime runs ${op.node.opType} as ${kernelOps.length} kernels (${kernelOps.join(", ")})`,
            );
          }
          return list;
        };
        return {
          run:
            regime === "kept"
              ? async () => {
                  (await call()).dispose();
                }
              : async () => {
                  const y = await call();
                  await y.getData();
                  y.dispose();
                },
          async output() {
            const y = await call();
            const values = (await y.getData()) as Float32Array;
            y.dispose();
            return values;
          },
          ...(profileDir
            ? {
                async reportedTimes() {
                  session.endProfiling();
                  const files = readdirSync(profileDir).filter((f) => f.endsWith(".json"));
                  if (files.length !== 1) throw new Error(`${c.name}: no ONNX Runtime profile`);
                  const text = readFileSync(join(profileDir, files[0] as string), "utf8");
                  const { ms, ops } = kernelTimes(JSON.parse(text) as ProfileEvent[]);
                  kernelOps = ops[ops.length - 1];
                  return ms;
                },
              }
            : {}),
          notes,
          async dispose() {
            await session.release();
            if (profileDir) rmSync(profileDir, { recursive: true, force: true });
          },
        };
      },
      dispose() {},
    };
  }

  async close(): Promise<void> {}
}
