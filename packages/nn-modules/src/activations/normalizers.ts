import type { ArrayInput, Array as MxArray } from "@nnkit/core";
import { glu, logSoftmax, softmax, softmin } from "@nnkit/nn-functions";
import { Activation, type ActivationSpec } from "./activation.js";
import { axesOption, axisOption, functionDefault } from "./options.js";

export interface GluOptions {
  /** The axis split into value and gate halves (default -1). */
  readonly axis?: number;
}

/** `new GLU({ axis = -1 })`: `forward(x)` is `glu(x, axis)`. */
export class GLU extends Activation<GluOptions> {
  static readonly spec: ActivationSpec = {
    name: "GLU",
    functions: ["glu"],
    options: [axisOption(functionDefault("glu", "axis"))],
  };
  constructor(options?: GluOptions) {
    super(GLU.spec, options);
  }
  get axis(): number {
    return this.options.axis;
  }
  forward(x: ArrayInput): MxArray {
    return glu(x, this.axis);
  }
}

/**
 * Options of Softmax, LogSoftmax and Softmin. MLX's classes always use the last axis; nnkit
 * lets you choose, like the functions.
 */
export interface SoftmaxOptions {
  /** The axis or axes normalised over (default -1). */
  readonly axis?: number | readonly number[];
}

/** `new Softmax({ axis = -1 })`: `forward(x)` is `softmax(x, axis)`. */
export class Softmax extends Activation<SoftmaxOptions> {
  static readonly spec: ActivationSpec = {
    name: "Softmax",
    functions: ["softmax"],
    options: [axesOption(functionDefault("softmax", "axis"))],
  };
  constructor(options?: SoftmaxOptions) {
    super(Softmax.spec, options);
  }
  get axis(): number | readonly number[] {
    return this.options.axis;
  }
  forward(x: ArrayInput): MxArray {
    return softmax(x, this.axis);
  }
}

/** `new LogSoftmax({ axis = -1 })`: `forward(x)` is `logSoftmax(x, axis)`. */
export class LogSoftmax extends Activation<SoftmaxOptions> {
  static readonly spec: ActivationSpec = {
    name: "LogSoftmax",
    functions: ["logSoftmax"],
    options: [axesOption(functionDefault("logSoftmax", "axis"))],
  };
  constructor(options?: SoftmaxOptions) {
    super(LogSoftmax.spec, options);
  }
  get axis(): number | readonly number[] {
    return this.options.axis;
  }
  forward(x: ArrayInput): MxArray {
    return logSoftmax(x, this.axis);
  }
}

/** `new Softmin({ axis = -1 })`: `forward(x)` is `softmin(x, axis)`. */
export class Softmin extends Activation<SoftmaxOptions> {
  static readonly spec: ActivationSpec = {
    name: "Softmin",
    functions: ["softmin"],
    options: [axesOption(functionDefault("softmin", "axis"))],
  };
  constructor(options?: SoftmaxOptions) {
    super(Softmin.spec, options);
  }
  get axis(): number | readonly number[] {
    return this.options.axis;
  }
  forward(x: ArrayInput): MxArray {
    return softmin(x, this.axis);
  }
}
