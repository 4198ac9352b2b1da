import {
  type DType,
  type FusedExpr,
  float64ToBfloat16Bits,
  float64ToFloat16Bits,
  type StorageArray,
} from "@nnkit/core";
import { bfloat16Table, float16Table } from "./rounding.js";
import { binaryFn, castFn, unaryFn } from "./semantics.js";

/** The per-node function a kernel calls (undefined for inputs, scalars and selects). */
export function nodeFunctions(expr: FusedExpr): (((...args: number[]) => number) | undefined)[] {
  return expr.nodes.map((n) => {
    switch (n.kind) {
      case "unary":
        return unaryFn(n.op, n.dtype);
      case "binary":
        return binaryFn(n.op, n.dtype);
      case "cast":
        return castFn(n.dtype);
      default:
        return undefined;
    }
  });
}

/** Lookup table that decodes an input's storage to numbers, or undefined when it reads directly. */
export function decodeTable(dtype: DType): Float64Array | undefined {
  if (dtype === "float16") return float16Table();
  if (dtype === "bfloat16") return bfloat16Table();
  return undefined;
}

/** How a float64 result is written to the output's storage (typed arrays round/wrap the rest). */
export function outputEncoder(dtype: DType): ((v: number) => number) | undefined {
  if (dtype === "float16") return float64ToFloat16Bits;
  if (dtype === "bfloat16") return float64ToBfloat16Bits;
  if (dtype === "bool") return (v) => (v !== 0 ? 1 : 0);
  return undefined;
}

/** Nodes whose value is the same for every element (scalars and what depends only on them). */
export function invariantNodes(expr: FusedExpr, constantInputs: readonly boolean[]): boolean[] {
  const inv: boolean[] = [];
  for (const n of expr.nodes) {
    switch (n.kind) {
      case "input":
        inv.push(constantInputs[n.index] === true);
        break;
      case "scalar":
        inv.push(true);
        break;
      case "unary":
      case "cast":
        inv.push(inv[n.arg] === true);
        break;
      case "binary":
        inv.push(inv[n.lhs] === true && inv[n.rhs] === true);
        break;
      case "where":
        inv.push(inv[n.cond] === true && inv[n.a] === true && inv[n.b] === true);
        break;
    }
  }
  return inv;
}

export type InputLayout = "contiguous" | "constant" | "strided";

/**
 * Classifies an input's strides against the output shape (size-1 dimensions never matter):
 * all 0 is "constant", the row-major strides of `shape` are "contiguous". One pass, no
 * allocation: it runs on every kernel call.
 */
export function inputLayout(strides: readonly number[], shape: readonly number[]): InputLayout {
  let constant = true;
  let contiguous = true;
  let expected = 1; // the row-major stride of dimension i
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d !== 1) {
      const s = strides[i];
      if (s !== 0) constant = false;
      if (s !== expected) contiguous = false;
    }
    expected *= d;
  }
  return constant ? "constant" : contiguous ? "contiguous" : "strided";
}

/** Everything a kernel needs at run time, independent of how it is executed. */
export interface KernelArgs {
  readonly out: StorageArray;
  readonly inputs: readonly StorageArray[];
  readonly offsets: readonly number[];
  readonly strides: readonly (readonly number[])[];
  readonly shape: readonly number[];
  readonly scalars: readonly number[];
}
