import {
  type ArrayInput,
  add,
  array,
  broadcastShapes,
  full,
  type Array as MxArray,
  maximum,
  minimum,
  multiply,
  NnkitError,
  square,
} from "@nnkit/core";
import { checkNumber, floatInput, input } from "../validate.js";

/** `relu(x) = max(x, 0)`. Keeps integer dtypes. */
export function relu(x: ArrayInput): MxArray {
  return maximum(input("relu", x), 0);
}

/** `relu2(x) = max(x, 0)²` (ReLU², MLX ≥ 0.29.1). Keeps integer dtypes. */
export function relu2(x: ArrayInput): MxArray {
  return square(maximum(input("relu2", x), 0));
}

/** `relu6(x) = min(max(x, 0), 6)`. Integer input gives float32, as in MLX. */
export function relu6(x: ArrayInput): MxArray {
  return minimum(maximum(floatInput("relu6", x), 0), 6);
}

/**
 * `leakyRelu(x, negativeSlope = 0.01) = max(negativeSlope·x, x)`. As in MLX this is a max, so
 * a slope above 1 scales positive inputs too (PyTorch uses a select).
 */
export function leakyRelu(x: ArrayInput, negativeSlope = 0.01): MxArray {
  const slope = checkNumber("leakyRelu", "negativeSlope", negativeSlope);
  const a = floatInput("leakyRelu", x);
  return maximum(multiply(a, slope), a);
}

/**
 * `prelu(x, alpha) = max(0, x) + alpha·min(0, x)`. `alpha` broadcasts against x by NumPy rules
 * (a vector lines up with x's **last** axis, unlike PyTorch's channel axis 1).
 */
export function prelu(x: ArrayInput, alpha: ArrayInput): MxArray {
  const fn = "prelu";
  const a = input(fn, x);
  if (alpha === undefined) throw new NnkitError(fn, "alpha is required (an array or a number)");
  // A number is a float32 scalar, as an array of it would be, but kept as a constant in the
  // expression: no buffer is uploaded that the caller could not dispose.
  const w = typeof alpha === "number" ? full([], alpha, "float32") : array(alpha);
  try {
    broadcastShapes(a.shape, w.shape);
  } catch {
    throw new NnkitError(
      fn,
      `alpha of shape (${w.shape.join(", ")}) does not broadcast against x of shape (${a.shape.join(", ")}); a vector alpha must match x's last axis`,
    );
  }
  return add(maximum(a, 0), multiply(w, minimum(a, 0)));
}
