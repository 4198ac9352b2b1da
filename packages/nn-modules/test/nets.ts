import { type ArrayInput, add, array, type Array as MxArray, multiply, zeros } from "@nnkit/core";
import { GELU, Module, PReLU } from "../src/index.js";

/** A test-only layer: a weight, a bias and a PReLU submodule. */
export class Block extends Module {
  weight = array(
    [
      [1, 2],
      [3, 4],
    ],
    "float32",
  );
  bias = zeros([2]);
  act = new PReLU({ numParameters: 2 });
  forward(x: ArrayInput): MxArray {
    return this.act.forward(add(multiply(x, this.weight), this.bias));
  }
}

/**
 * A test-only container: a list of blocks, a parameter-free submodule, a nested dict of
 * arrays, a private array, an integer array and a plain option that is not state.
 */
export class Net extends Module {
  layers = [new Block(), new Block()];
  head = new GELU({ approx: "tanh" });
  extra: { scale: MxArray; table: MxArray[] } = {
    scale: array([2], "float32"),
    table: [array([1, 2, 3], "int32")],
  };
  _cache = array([7], "float32");
  width = 2;
  forward(x: ArrayInput): MxArray {
    let y = array(x);
    for (const l of this.layers) y = l.forward(y);
    return multiply(this.head.forward(y), this.extra.scale);
  }
}
