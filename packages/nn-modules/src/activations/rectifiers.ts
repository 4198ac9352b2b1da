import { type ArrayInput, full, type Array as MxArray } from "@nnkit/core";
import { leakyRelu, prelu, relu, relu2, relu6 } from "@nnkit/nn-functions";
import { Activation, type ActivationSpec, type NoOptions } from "./activation.js";
import { countOption, functionDefault, numberOption } from "./options.js";

/** `new ReLU()`: `forward(x)` is `relu(x)`. */
export class ReLU extends Activation {
  static readonly spec: ActivationSpec = { name: "ReLU", functions: ["relu"], options: [] };
  constructor(options?: NoOptions) {
    super(ReLU.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return relu(x);
  }
}

/** `new ReLU2()`: `forward(x)` is `relu2(x)`, i.e. `max(x, 0)²`. */
export class ReLU2 extends Activation {
  static readonly spec: ActivationSpec = { name: "ReLU2", functions: ["relu2"], options: [] };
  constructor(options?: NoOptions) {
    super(ReLU2.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return relu2(x);
  }
}

/** `new ReLU6()`: `forward(x)` is `relu6(x)`. */
export class ReLU6 extends Activation {
  static readonly spec: ActivationSpec = { name: "ReLU6", functions: ["relu6"], options: [] };
  constructor(options?: NoOptions) {
    super(ReLU6.spec, options);
  }
  forward(x: ArrayInput): MxArray {
    return relu6(x);
  }
}

export interface LeakyReluOptions {
  /** Slope for negative inputs (default 0.01). */
  readonly negativeSlope?: number;
}

/** `new LeakyReLU({ negativeSlope = 0.01 })`: `forward(x)` is `leakyRelu(x, negativeSlope)`. */
export class LeakyReLU extends Activation<LeakyReluOptions> {
  static readonly spec: ActivationSpec = {
    name: "LeakyReLU",
    functions: ["leakyRelu"],
    options: [numberOption("negativeSlope", functionDefault("leakyRelu", "negativeSlope"))],
  };
  constructor(options?: LeakyReluOptions) {
    super(LeakyReLU.spec, options);
  }
  get negativeSlope(): number {
    return this.options.negativeSlope;
  }
  forward(x: ArrayInput): MxArray {
    return leakyRelu(x, this.negativeSlope);
  }
}

export interface PreluOptions {
  /** Length of the learnable weight, matched against x's last axis (default 1). */
  readonly numParameters?: number;
  /** Initial value of every weight element (default 0.25). */
  readonly init?: number;
}

/**
 * `new PReLU({ numParameters = 1, init = 0.25 })`: holds the learnable float32 parameter
 * `weight` of shape `[numParameters]`, every element `init`; `forward(x)` is
 * `prelu(x, weight)`. The weight lines up with x's **last** axis (MLX's rule, not PyTorch's
 * channel axis).
 */
export class PReLU extends Activation<PreluOptions> {
  static readonly spec: ActivationSpec = {
    name: "PReLU",
    functions: ["prelu"],
    options: [countOption("numParameters", 1, true), numberOption("init", 0.25)],
  };
  /** The learnable slopes for negative inputs. */
  weight: MxArray;
  constructor(options?: PreluOptions) {
    super(PReLU.spec, options);
    this.weight = full([this.numParameters], this.options.init, "float32");
  }
  get numParameters(): number {
    return this.options.numParameters;
  }
  forward(x: ArrayInput): MxArray {
    return prelu(x, this.weight);
  }
}
