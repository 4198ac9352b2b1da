import { NnkitError } from "../errors.js";
import { formatShape, type Shape } from "./shape.js";

/** NumPy broadcasting: shapes align on their trailing axes; a size-1 axis stretches. */
export function broadcastShapesFor(fn: string, ...shapes: Shape[]): Shape {
  // An array with a scalar, every elementwise op's commonest call: that array's own (read-only)
  // shape, not a copy.
  if (shapes.length === 2) {
    const [a, b] = shapes as [Shape, Shape];
    if (b.length === 0) return a;
    if (a.length === 0) return b;
  }
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    const offset = ndim - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i] as number;
      const o = out[offset + i] as number;
      if (d === o || d === 1) continue;
      if (o === 1) {
        out[offset + i] = d;
        continue;
      }
      throw new NnkitError(
        fn,
        `shapes ${shapes.map(formatShape).join(" and ")} cannot be broadcast together (axis ${i - shape.length} has sizes ${o} and ${d})`,
      );
    }
  }
  return out;
}

/** MLX's `broadcast_shapes`: the shape NumPy broadcasting gives `shapes`, or an NnkitError. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  return [...broadcastShapesFor("broadcastShapes", ...shapes)];
}

/**
 * Strides that read an array of `shape`/`strides` as if it had `target` shape:
 * stretched axes get stride 0. The caller has already checked broadcast compatibility.
 */
export function broadcastStrides(shape: Shape, strides: Shape, target: Shape): Shape {
  // Arrays share frozen shapes, so an input of the output's own shape (most fused inputs) is
  // read as it is stored: its strides themselves, without a new array.
  if (shape === target) return strides;
  const offset = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    out[offset + i] = shape[i] === 1 && target[offset + i] !== 1 ? 0 : (strides[i] as number);
  }
  return out;
}
