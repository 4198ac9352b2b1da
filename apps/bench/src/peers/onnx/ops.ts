import type { BenchCase } from "../../cases.js";
import type { OnnxNodeSpec } from "./model.js";

const std = (opType: string, attributes?: OnnxNodeSpec["attributes"]): OnnxNodeSpec => ({
  opType,
  domain: "",
  ...(attributes ? { attributes } : {}),
});

/** What runs each function in ONNX, and a footnote where the op is not the obvious one. */
export interface OnnxOp {
  readonly node: OnnxNodeSpec;
  readonly note?: string;
}

/**
 * The single ONNX op (opset 20, or an ONNX Runtime contrib op in com.microsoft) that computes
 * each function with MLX's parameters, or why there is none. Nothing is rebuilt from several
 * ops here; where ONNX Runtime itself runs an op as a function body (several kernels), the
 * profiler counts the kernels and the report says so.
 */
export function onnxOpFor(c: BenchCase): OnnxOp | string {
  const p = c.params;
  const axis = { int: p.axis ?? -1 };
  switch (c.name) {
    case "celu":
      return { node: std("Celu", { alpha: p.alpha as number }) };
    case "elu":
      return { node: std("Elu", { alpha: p.alpha as number }) };
    case "gelu":
      return { node: std("Gelu", { approximate: "none" }) };
    case "geluApprox":
      return { node: std("Gelu", { approximate: "tanh" }) };
    case "geluFastApprox":
      return {
        node: { opType: "QuickGelu", domain: "com.microsoft", attributes: { alpha: 1.702 } },
        note: "as com.microsoft QuickGelu(alpha = 1.702) = x·sigmoid(1.702·x), an ONNX Runtime contrib op",
      };
    case "hardShrink":
      return {
        node: std("Shrink", { lambd: p.lambd as number, bias: 0 }),
        note: "as Shrink(lambd, bias = 0)",
      };
    case "hardTanh":
      return {
        node: {
          ...std("Clip"),
          constants: [
            ["min", [], [p.minVal as number]],
            ["max", [], [p.maxVal as number]],
          ],
        },
        note: "as Clip(x, -1, 1)",
      };
    case "hardswish":
      return { node: std("HardSwish") };
    case "leakyRelu":
      return { node: std("LeakyRelu", { alpha: p.negativeSlope as number }) };
    case "logSoftmax":
      return { node: std("LogSoftmax", { axis }) };
    case "mish":
      return { node: std("Mish") };
    case "prelu":
      return {
        node: { ...std("PRelu"), constants: [["slope", [1], [p.alpha as number]]] },
      };
    case "relu":
      return { node: std("Relu") };
    case "relu6":
      return {
        node: {
          ...std("Clip"),
          constants: [
            ["min", [], [0]],
            ["max", [], [6]],
          ],
        },
        note: "as Clip(x, 0, 6)",
      };
    case "selu":
      // MLX's truncated constants, so ONNX computes the same function as nnkit.
      return { node: std("Selu", { alpha: 1.67326, gamma: 1.0507 }) };
    case "sigmoid":
      return { node: std("Sigmoid") };
    case "silu":
      return {
        node: { opType: "QuickGelu", domain: "com.microsoft", attributes: { alpha: 1 } },
        note: "as com.microsoft QuickGelu(alpha = 1) = x·sigmoid(x), an ONNX Runtime contrib op",
      };
    case "softmax":
      return { node: std("Softmax", { axis }) };
    case "softplus":
      return { node: std("Softplus") };
    case "softshrink":
      return {
        node: std("Shrink", { lambd: p.lambd as number, bias: p.lambd as number }),
        note: "as Shrink(lambd, bias = lambd)",
      };
    case "softsign":
      return { node: std("Softsign") };
    case "tanh":
      return { node: std("Tanh") };
    default:
      return "no single op for it in ONNX (opset 20) or ONNX Runtime's contrib ops";
  }
}
