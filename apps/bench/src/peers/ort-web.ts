import type { Contestant } from "../contestant.js";
import { singleOpModel } from "./onnx/model.js";
import { OrtPeer } from "./onnx/session-peer.js";
import { packageVersion } from "./versions.js";

/** onnxruntime-web's wasm backend, in Node (its Node entry point), ordinary `session.run`. */
export const ortWeb: Contestant = new OrtPeer({
  id: "ort-web",
  label: "ORT web wasm",
  packages: `onnxruntime-web ${packageVersion("onnxruntime-web")} (wasm execution provider)`,
  sessionOptions: { executionProviders: ["wasm"] },
  async load() {
    const ort = await import("onnxruntime-web");
    // One tiny session first: it loads the wasm binary and settles env.wasm's defaults.
    // ORT web's Node glue then sets globalThis.Worker (worker_threads' Worker); jax-js looks
    // for that global to decide whether its wasm kernels use shared memory, and breaks when it
    // appears after jax-js has allocated its memory. With one thread ORT needs no workers, so
    // the global is put back as it was.
    const g = globalThis as { Worker?: unknown };
    const hadWorker = "Worker" in g;
    const worker = g.Worker;
    const probe = await ort.InferenceSession.create(
      singleOpModel({ node: { opType: "Relu", domain: "" }, inputShape: [1], outputShape: [1] }),
      { executionProviders: ["wasm"] },
    );
    await probe.release();
    if (ort.env.wasm.numThreads === 1) {
      if (hadWorker) g.Worker = worker;
      else delete g.Worker;
    }
    return {
      ort,
      settings: {
        executionProvider: "wasm",
        numThreads: String(ort.env.wasm.numThreads ?? "default"),
        simd: String(ort.env.wasm.simd ?? "default"),
        proxy: String(ort.env.wasm.proxy ?? false),
      },
    };
  },
});
