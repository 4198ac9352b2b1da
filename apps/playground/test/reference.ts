import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { activation } from "@nnkit/nn-functions";

/**
 * The library itself, in Node on the CPU: what the page should plot for a function over the
 * x values the page reports. Functions with an axis get X = [x; 0] (2 × N) and row 0 of their
 * result is what the plot shows (apps/playground/README.md, "What the plot of softmax & co.
 * means").
 */
export function libraryValues(
  name: string,
  xs: readonly number[],
  params: Readonly<Record<string, number>>,
): number[] {
  const info = activation(name);
  if (!info) throw new Error(`no activation ${name}`);
  const n = xs.length;
  const x = mx.array(Float32Array.from(xs));
  const alongAxis = info.params.some((p) => p.kind === "axis");
  const input = alongAxis ? mx.concatenate([x.reshape([1, n]), mx.zeros([1, n])], 0) : x;
  const y = info.apply(input, params);
  const flat = Array.from(y.dataSync(), Number);
  return y.ndim === 2 ? flat.slice(0, y.shape[1]) : flat;
}
