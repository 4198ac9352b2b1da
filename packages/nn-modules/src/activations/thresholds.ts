import { type ArrayInput, type Array as MxArray, NnkitError } from "@nnkit/core";
import { hardShrink, hardTanh, softshrink, step } from "@nnkit/nn-functions";
import { Activation, type ActivationSpec } from "./activation.js";
import { functionDefault, numberOption } from "./options.js";

export interface ShrinkOptions {
  /** Half-width of the band set to 0, finite and >= 0 (default 0.5). */
  readonly lambd?: number;
}

const LAMBD = { finite: true, nonNegative: true } as const;

/** `new HardShrink({ lambd = 0.5 })`: `forward(x)` is `hardShrink(x, lambd)`. */
export class HardShrink extends Activation<ShrinkOptions> {
  static readonly spec: ActivationSpec = {
    name: "HardShrink",
    functions: ["hardShrink"],
    options: [numberOption("lambd", functionDefault("hardShrink", "lambd"), LAMBD)],
  };
  constructor(options?: ShrinkOptions) {
    super(HardShrink.spec, options);
  }
  get lambd(): number {
    return this.options.lambd;
  }
  forward(x: ArrayInput): MxArray {
    return hardShrink(x, this.lambd);
  }
}

/** `new Softshrink({ lambd = 0.5 })`: `forward(x)` is `softshrink(x, lambd)`. */
export class Softshrink extends Activation<ShrinkOptions> {
  static readonly spec: ActivationSpec = {
    name: "Softshrink",
    functions: ["softshrink"],
    options: [numberOption("lambd", functionDefault("softshrink", "lambd"), LAMBD)],
  };
  constructor(options?: ShrinkOptions) {
    super(Softshrink.spec, options);
  }
  get lambd(): number {
    return this.options.lambd;
  }
  forward(x: ArrayInput): MxArray {
    return softshrink(x, this.lambd);
  }
}

/**
 * Options of HardTanh. MLX's class always clamps to [-1, 1]; nnkit lets you choose, like the
 * function.
 */
export interface HardTanhOptions {
  /** Lower clamp (default -1). */
  readonly minVal?: number;
  /** Upper clamp, not below minVal (default 1). */
  readonly maxVal?: number;
}

/** `new HardTanh({ minVal = -1, maxVal = 1 })`: `forward(x)` is `hardTanh(x, minVal, maxVal)`. */
export class HardTanh extends Activation<HardTanhOptions> {
  static readonly spec: ActivationSpec = {
    name: "HardTanh",
    functions: ["hardTanh"],
    options: [
      numberOption("minVal", functionDefault("hardTanh", "minVal")),
      numberOption("maxVal", functionDefault("hardTanh", "maxVal")),
    ],
  };
  constructor(options?: HardTanhOptions) {
    super(HardTanh.spec, options);
    if (this.minVal > this.maxVal) {
      throw new NnkitError(
        "HardTanh",
        `minVal (${this.minVal}) must not be greater than maxVal (${this.maxVal})`,
      );
    }
  }
  get minVal(): number {
    return this.options.minVal;
  }
  get maxVal(): number {
    return this.options.maxVal;
  }
  forward(x: ArrayInput): MxArray {
    return hardTanh(x, this.minVal, this.maxVal);
  }
}

export interface StepOptions {
  /** Inputs at or above it give 1 (default 0). */
  readonly threshold?: number;
}

/** `new Step({ threshold = 0 })`: `forward(x)` is `step(x, threshold)`, an int32 array. */
export class Step extends Activation<StepOptions> {
  static readonly spec: ActivationSpec = {
    name: "Step",
    functions: ["step"],
    options: [numberOption("threshold", functionDefault("step", "threshold"))],
  };
  constructor(options?: StepOptions) {
    super(Step.spec, options);
  }
  get threshold(): number {
    return this.options.threshold;
  }
  forward(x: ArrayInput): MxArray {
    return step(x, this.threshold);
  }
}
