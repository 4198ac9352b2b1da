import type { ArrayInput, Array as MxArray } from "@nnkit/core";
import { celu, elu, selu } from "@nnkit/nn-functions";
import { Activation, type ActivationSpec, type NoOptions } from "./activation.js";
import { functionDefault, numberOption } from "./options.js";

export interface EluOptions {
  /** Scale of the negative branch (default 1). */
  readonly alpha?: number;
}

/** `new ELU({ alpha = 1 })`: `forward(x)` is `elu(x, alpha)`. */
export class ELU extends Activation<EluOptions> {
  static readonly spec: ActivationSpec = {
    name: "ELU",
    functions: ["elu"],
    options: [numberOption("alpha", functionDefault("elu", "alpha"))],
  };
  constructor(options?: EluOptions) {
    super(ELU.spec, options);
  }
  get alpha(): number {
    return this.options.alpha;
  }
  forward(x: ArrayInput): MxArray {
    return elu(x, this.alpha);
  }
}

export interface CeluOptions {
  /** Scale of the negative branch, not 0 (default 1). */
  readonly alpha?: number;
}

/** `new CELU({ alpha = 1 })`: `forward(x)` is `celu(x, alpha)`. */
export class CELU extends Activation<CeluOptions> {
  static readonly spec: ActivationSpec = {
    name: "CELU",
    functions: ["celu"],
    options: [numberOption("alpha", functionDefault("celu", "alpha"), { nonZero: true })],
  };
  constructor(options?: CeluOptions) {
    super(CELU.spec, options);
  }
  get alpha(): number {
    return this.options.alpha;
  }
  forward(x: ArrayInput): MxArray {
    return celu(x, this.alpha);
  }
}

/** `new SELU()`: `forward(x)` is `selu(x)` (MLX's constants 1.0507 and 1.67326). */
export class SELU extends Activation {
  static readonly spec: ActivationSpec = { name: "SELU", functions: ["selu"], options: [] };
  constructor(options?: NoOptions) {
    super(SELU.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return selu(x);
  }
}
