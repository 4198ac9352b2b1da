import type { ArrayInput, Array as MxArray } from "@nnkit/core";
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
} from "@nnkit/nn-functions";
import { Activation, type ActivationSpec, type NoOptions } from "./activation.js";
import { choiceOption } from "./options.js";

/** GELU's approximations: `"none"` is exact; `"precise"` and `"tanh"` (its PyTorch name) are the tanh formula; `"fast"` is `x·σ(1.702x)`. */
export type GeluApprox = "none" | "precise" | "tanh" | "fast";

export interface GeluOptions {
  /** Which formula (default `"none"`, the exact erf form). */
  readonly approx?: GeluApprox;
}

/**
 * `new GELU({ approx = "none" })`: `forward(x)` is `gelu(x)`, or `geluApprox(x)` for
 * `"precise"`/`"tanh"`, or `geluFastApprox(x)` for `"fast"`.
 */
export class GELU extends Activation<GeluOptions> {
  static readonly spec: ActivationSpec = {
    name: "GELU",
    functions: ["gelu", "geluApprox", "geluFastApprox"],
    options: [choiceOption<GeluApprox>("approx", "none", ["none", "precise", "tanh", "fast"])],
  };
  constructor(options?: GeluOptions) {
    super(GELU.spec, options);
  }
  get approx(): GeluApprox {
    return this.options.approx;
  }
  forward(x: ArrayInput): MxArray {
    switch (this.approx) {
      case "none":
        return gelu(x);
      case "precise":
      case "tanh":
        return geluApprox(x);
      case "fast":
        return geluFastApprox(x);
    }
  }
}

/** `new Hardswish()`: `forward(x)` is `hardswish(x)`. */
export class Hardswish extends Activation {
  static readonly spec: ActivationSpec = {
    name: "Hardswish",
    functions: ["hardswish"],
    options: [],
  };
  constructor(options?: NoOptions) {
    super(Hardswish.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return hardswish(x);
  }
}

/** `new LogSigmoid()`: `forward(x)` is `logSigmoid(x)` (`-softplus(-x)`). */
export class LogSigmoid extends Activation {
  static readonly spec: ActivationSpec = {
    name: "LogSigmoid",
    functions: ["logSigmoid"],
    options: [],
  };
  constructor(options?: NoOptions) {
    super(LogSigmoid.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return logSigmoid(x);
  }
}

/** `new Mish()`: `forward(x)` is `mish(x)`. */
export class Mish extends Activation {
  static readonly spec: ActivationSpec = { name: "Mish", functions: ["mish"], options: [] };
  constructor(options?: NoOptions) {
    super(Mish.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return mish(x);
  }
}

/** `new Sigmoid()`: `forward(x)` is `sigmoid(x)`. */
export class Sigmoid extends Activation {
  static readonly spec: ActivationSpec = { name: "Sigmoid", functions: ["sigmoid"], options: [] };
  constructor(options?: NoOptions) {
    super(Sigmoid.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return sigmoid(x);
  }
}

/** `new SiLU()`: `forward(x)` is `silu(x)`. */
export class SiLU extends Activation {
  static readonly spec: ActivationSpec = { name: "SiLU", functions: ["silu"], options: [] };
  constructor(options?: NoOptions) {
    super(SiLU.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return silu(x);
  }
}

/** `new Softplus()`: `forward(x)` is `softplus(x)`. */
export class Softplus extends Activation {
  static readonly spec: ActivationSpec = { name: "Softplus", functions: ["softplus"], options: [] };
  constructor(options?: NoOptions) {
    super(Softplus.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return softplus(x);
  }
}

/** `new Softsign()`: `forward(x)` is `softsign(x)`. */
export class Softsign extends Activation {
  static readonly spec: ActivationSpec = { name: "Softsign", functions: ["softsign"], options: [] };
  constructor(options?: NoOptions) {
    super(Softsign.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return softsign(x);
  }
}

/** `new Tanh()`: `forward(x)` is `tanh(x)`. */
export class Tanh extends Activation {
  static readonly spec: ActivationSpec = { name: "Tanh", functions: ["tanh"], options: [] };
  constructor(options?: NoOptions) {
    super(Tanh.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return tanh(x);
  }
}
