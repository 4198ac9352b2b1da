import type { BenchCase } from "./cases.js";

/**
 * kept: the result is computed and left on the contestant's backend, as inside a model.
 * readBack: the result is also copied out to a JavaScript typed array.
 */
export type Regime = "kept" | "readBack";
export const REGIMES: readonly Regime[] = ["kept", "readBack"];

/** One function at one size in one regime, ready to be called repeatedly. */
export interface Workload {
  /** One call; when it returns (or resolves) the result is where the regime says. */
  run(): Promise<void> | void;
  /** The values of one more call, for the agreement check against nnkit. */
  output(): Promise<ArrayLike<number>>;
  /**
   * Per-call times (ms) measured by the runtime itself, one per call in call order; when
   * present they replace the wall clock (ONNX Runtime's profiler: kernel time alone).
   */
  reportedTimes?(): Promise<number[]>;
  /** Facts worth a footnote (e.g. how many kernels one call ran). */
  notes?(): readonly string[];
  dispose(): Promise<void> | void;
}

/** Why a contestant does not run a function (or a regime): shown as "–" with a footnote. */
export interface Unsupported {
  readonly unsupported: string;
}

export function isUnsupported(w: Workload | Unsupported): w is Unsupported {
  return "unsupported" in w;
}

/** A contestant with the input of one size resident on its backend (made once per size). */
export interface LoadedInput {
  setup(c: BenchCase, regime: Regime): Promise<Workload | Unsupported>;
  dispose(): Promise<void> | void;
}

/** nnkit, the copy baseline, or a peer library on one of its backends. */
export interface Contestant {
  /** Short stable id used in JSON and flags, e.g. "tfjs-wasm". */
  readonly id: string;
  /** nnkit itself, the copy baseline (not compared for values) or a peer library. */
  readonly kind: "nnkit" | "baseline" | "peer";
  /** Column heading, e.g. "TF.js wasm". */
  readonly label: string;
  /** Packages and versions, e.g. "@tensorflow/tfjs-core 4.22.0". */
  readonly packages: string;
  /** The regimes it takes part in (all when absent). */
  readonly regimes?: readonly Regime[];
  /** Loads the library and backend; returns the settings it runs with (threads, SIMD, …). */
  init(): Promise<Record<string, string>>;
  /** Makes the input of one size resident on the backend. */
  load(data: Float32Array): Promise<LoadedInput>;
  close(): Promise<void>;
}
