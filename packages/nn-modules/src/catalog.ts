import type { Activation, ActivationSpec } from "./activations/activation.js";
import { CELU, ELU, SELU } from "./activations/exponential.js";
import {
  GELU,
  Hardswish,
  LogSigmoid,
  Mish,
  Sigmoid,
  SiLU,
  Softplus,
  Softsign,
  Tanh,
} from "./activations/gates.js";
import { GLU, LogSoftmax, Softmax, Softmin } from "./activations/normalizers.js";
import { LeakyReLU, PReLU, ReLU, ReLU2, ReLU6 } from "./activations/rectifiers.js";
import { HardShrink, HardTanh, Softshrink, Step } from "./activations/thresholds.js";

/** A Module class as the catalog sees it: its spec and a constructor taking one options object. */
export interface ActivationClass {
  readonly spec: ActivationSpec;
  // The catalog builds modules from untyped options (tests, docs, UIs); each class still
  // validates them at run time.
  new (options?: never): Activation<object>;
}

/** One entry per activation Module: MLX's name, the nn-functions it calls, its options. */
export interface ModuleInfo extends ActivationSpec {
  readonly cls: ActivationClass;
  /** Builds the module from an options object (validated by the class). */
  create(options?: Readonly<Record<string, unknown>>): Activation<object>;
}

const CLASSES: readonly ActivationClass[] = [
  CELU,
  ELU,
  GELU,
  GLU,
  HardShrink,
  HardTanh,
  Hardswish,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  Mish,
  PReLU,
  ReLU,
  ReLU2,
  ReLU6,
  SELU,
  Sigmoid,
  SiLU,
  Softmin,
  Softshrink,
  Softsign,
  Softmax,
  Softplus,
  Step,
  Tanh,
];

/** The 25 activation Modules, in the order of MLX's docs (`layers.rst`). */
export const MODULES: readonly ModuleInfo[] = CLASSES.map((cls) => ({
  ...cls.spec,
  cls,
  create: (options) => new cls(options as never),
}));

/** Looks a Module up by its MLX class name (`"GELU"`). */
export function moduleInfo(name: string): ModuleInfo | undefined {
  return MODULES.find((m) => m.name === name);
}
