import type { Contestant } from "../contestant.js";
import { OrtPeer } from "./onnx/session-peer.js";
import { packageVersion } from "./versions.js";

const PACKAGES = `onnxruntime-node ${packageVersion("onnxruntime-node")} (CPU execution provider)`;

async function load() {
  const ort = await import("onnxruntime-node");
  return {
    ort,
    settings: {
      executionProvider: "cpu",
      intraOpNumThreads: "ONNX Runtime's default (one per physical core)",
      graphOptimizationLevel: "all (default)",
      "session.intra_op.allow_spinning": "0",
    },
  };
}

const NO_SPINNING = { extra: { session: { intra_op: { allow_spinning: "0" } } } };

/** onnxruntime-node's ordinary `session.run`, timed by the wall clock. */
export const ortNode: Contestant = new OrtPeer({
  id: "ort-node",
  label: "ORT node",
  packages: PACKAGES,
  load,
  sessionOptions: NO_SPINNING,
});

/** The same runtime, timed by its own profiler: the kernel alone, without the call around it. */
export const ortNodeKernel: Contestant = new OrtPeer({
  id: "ort-node-kernel",
  label: "ORT node kernel",
  packages: PACKAGES,
  load,
  sessionOptions: NO_SPINNING,
  kernelTimeOnly: true,
});
