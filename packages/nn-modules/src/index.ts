/**
 * @nnkit/nn-modules: an MLX-style `Module` base (parameters, freezing, update, safetensors
 * weights) and the 25 activation Modules of `mlx.nn`, each calling its @nnkit/nn-functions
 * function. Call any module with `forward(x)`.
 */
export {
  Activation,
  type ActivationSpec,
  type NoOptions,
  type OptionSpec,
} from "./activations/activation.js";
export { CELU, type CeluOptions, ELU, type EluOptions, SELU } from "./activations/exponential.js";
export {
  GELU,
  type GeluApprox,
  type GeluOptions,
  Hardswish,
  LogSigmoid,
  Mish,
  Sigmoid,
  SiLU,
  Softplus,
  Softsign,
  Tanh,
} from "./activations/gates.js";
export {
  GLU,
  type GluOptions,
  LogSoftmax,
  Softmax,
  type SoftmaxOptions,
  Softmin,
} from "./activations/normalizers.js";
export {
  LeakyReLU,
  type LeakyReluOptions,
  PReLU,
  type PreluOptions,
  ReLU,
  ReLU2,
  ReLU6,
} from "./activations/rectifiers.js";
export {
  HardShrink,
  HardTanh,
  type HardTanhOptions,
  type ShrinkOptions,
  Softshrink,
  Step,
  type StepOptions,
} from "./activations/thresholds.js";
export { type ActivationClass, MODULES, type ModuleInfo, moduleInfo } from "./catalog.js";
export {
  type FreezeOptions,
  Module,
  type ModuleFilter,
  SAFETENSORS_METADATA,
  type UpdateOptions,
  type WeightPairs,
  type WeightsSource,
} from "./module/module.js";
export {
  isPlainObject,
  type ParameterDict,
  type ParameterTree,
  treeFlatten,
  treeUnflatten,
} from "./module/tree.js";
export {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  MAX_HEADER_BYTES,
  type NamedArrays,
  SAFETENSORS_DTYPE,
  type SafetensorsContents,
  saveSafetensors,
} from "./safetensors/index.js";
