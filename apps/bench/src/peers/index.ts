import type { Contestant } from "../contestant.js";
import { jaxCpu, jaxWasm } from "./jax.js";
import { ortNode, ortNodeKernel } from "./ort-node.js";
import { ortWeb } from "./ort-web.js";
import { tfjsCpu, tfjsWasm } from "./tfjs.js";

/** Every peer, in the report's column order. */
export const PEERS: readonly Contestant[] = [
  tfjsCpu,
  tfjsWasm,
  jaxCpu,
  jaxWasm,
  ortNode,
  ortNodeKernel,
  ortWeb,
];

/** Lifts the peers' size limits (jax-js cpu stops at 2^20 by default). */
export function liftSizeLimits(): void {
  jaxCpu.liftSizeLimit();
}

export { tfjsLiveTensors } from "./tfjs.js";
