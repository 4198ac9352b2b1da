import type { ArrayInput, Array as MxArray } from "@nnkit/core";
import { celu, elu, selu } from "./activations/exponential.js";
import {
  gelu,
  geluApprox,
  geluFastApprox,
  hardswish,
  logSigmoid,
  mish,
  sigmoid,
  silu,
  softplus,
  softsign,
  tanh,
} from "./activations/gates.js";
import { glu, logSoftmax, softmax, softmin } from "./activations/normalizers.js";
import { leakyRelu, prelu, relu, relu2, relu6 } from "./activations/rectifiers.js";
import { hardShrink, hardTanh, softshrink, step } from "./activations/thresholds.js";

/** A parameter after `x`, in MLX's positional order. */
export interface ActivationParam {
  readonly name: string;
  /** MLX's default; `undefined` when the parameter is required (prelu's alpha). */
  readonly default: number | undefined;
  /** "number" scalars, "axis" integers, or an "array" that broadcasts against x. */
  readonly kind: "number" | "axis" | "array";
}

/**
 * One entry per activation: the single list that tests, docs, the README tables and the
 * Module package read. Nowhere else in nnkit spells the list out.
 */
export interface ActivationInfo {
  /** nnkit's name (MLX's in camelCase). */
  readonly name: string;
  /** The name in `mlx.nn`. */
  readonly mlxName: string;
  /** The formula as MLX computes it. */
  readonly formula: string;
  readonly params: readonly ActivationParam[];
  /** Calls the function with parameters by name; missing ones take their defaults. */
  apply(x: ArrayInput, params?: Readonly<Record<string, number | ArrayInput>>): MxArray;
}

const num = (name: string, d: number | undefined): ActivationParam => ({
  name,
  default: d,
  kind: "number",
});
const axis: ActivationParam = { name: "axis", default: -1, kind: "axis" };

type Fn = (x: ArrayInput, ...args: never[]) => MxArray;

function entry(
  name: string,
  mlxName: string,
  formula: string,
  fn: Fn,
  params: readonly ActivationParam[] = [],
): ActivationInfo {
  return {
    name,
    mlxName,
    formula,
    params,
    apply(x, given = {}) {
      const args = params.map((p) => given[p.name] ?? p.default);
      return (fn as (x: ArrayInput, ...a: unknown[]) => MxArray)(x, ...args);
    },
  };
}

export const ACTIVATIONS: readonly ActivationInfo[] = [
  entry("celu", "celu", "max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)", celu, [
    num("alpha", 1),
  ]),
  entry("elu", "elu", "x if x > 0 else alpha * (exp(x) - 1)", elu, [num("alpha", 1)]),
  entry("gelu", "gelu", "x * (1 + erf(x / sqrt(2))) / 2", gelu),
  entry(
    "geluApprox",
    "gelu_approx",
    "0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))",
    geluApprox,
  ),
  entry("geluFastApprox", "gelu_fast_approx", "x * sigmoid(1.702 * x)", geluFastApprox),
  entry("glu", "glu", "a * sigmoid(b), where a, b = split(x, 2, axis)", glu, [axis]),
  entry("hardShrink", "hard_shrink", "x if |x| > lambd else 0", hardShrink, [num("lambd", 0.5)]),
  entry("hardTanh", "hard_tanh", "min(max(x, min_val), max_val)", hardTanh, [
    num("minVal", -1),
    num("maxVal", 1),
  ]),
  entry("hardswish", "hardswish", "x * min(max(x + 3, 0), 6) / 6", hardswish),
  entry("leakyRelu", "leaky_relu", "max(negative_slope * x, x)", leakyRelu, [
    num("negativeSlope", 0.01),
  ]),
  entry("logSigmoid", "log_sigmoid", "-softplus(-x)", logSigmoid),
  entry("logSoftmax", "log_softmax", "x - logsumexp(x, axis)", logSoftmax, [axis]),
  entry("mish", "mish", "x * tanh(softplus(x))", mish),
  entry("prelu", "prelu", "max(0, x) + alpha * min(0, x)", prelu, [
    { name: "alpha", default: undefined, kind: "array" },
  ]),
  entry("relu", "relu", "max(x, 0)", relu),
  entry("relu2", "relu2", "max(x, 0)^2", relu2),
  entry("relu6", "relu6", "min(max(x, 0), 6)", relu6),
  entry("selu", "selu", "1.0507 * elu(x, 1.67326)", selu),
  entry("sigmoid", "sigmoid", "1 / (1 + exp(-x))", sigmoid),
  entry("silu", "silu", "x * sigmoid(x)", silu),
  entry("softmax", "softmax", "exp(x) / sum(exp(x), axis)", softmax, [axis]),
  entry("softmin", "softmin", "softmax(-x, axis)", softmin, [axis]),
  entry("softplus", "softplus", "log(1 + exp(x))", softplus),
  entry("softshrink", "softshrink", "x - sign(x) * lambd if |x| > lambd else 0", softshrink, [
    num("lambd", 0.5),
  ]),
  entry("softsign", "softsign", "x / (1 + |x|)", softsign),
  entry("step", "step", "1 if x >= threshold else 0 (int32)", step, [num("threshold", 0)]),
  entry("tanh", "tanh", "tanh(x)", tanh),
];

/** Looks an activation up by nnkit name. */
export function activation(name: string): ActivationInfo | undefined {
  return ACTIVATIONS.find((a) => a.name === name);
}
