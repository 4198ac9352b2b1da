export { celu, elu, SELU_ALPHA, SELU_SCALE, selu } from "./activations/exponential.js";
export {
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
export { glu, logSoftmax, softmax, softmin } from "./activations/normalizers.js";
export { leakyRelu, prelu, relu, relu2, relu6 } from "./activations/rectifiers.js";
export { hardShrink, hardTanh, softshrink, step } from "./activations/thresholds.js";
export { ACTIVATIONS, type ActivationInfo, type ActivationParam, activation } from "./catalog.js";
