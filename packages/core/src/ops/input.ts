import { MxArray } from "../array/array.js";
import { getBackend, getDefaultDevice } from "../backend/registry.js";
import { encodeStorage } from "../dtype/convert.js";
import { checkDType, type DType } from "../dtype/dtype.js";
import { standaloneScalarDType, weakScalarDType } from "../dtype/promotion.js";
import { describeValue, NnkitError } from "../errors.js";
import type { Shape } from "../shape/shape.js";

export type TypedArrayInput =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

export type NestedArray = ReadonlyArray<number | boolean | NestedArray | TypedArrayInput>;

/** Anything an op accepts where MLX takes an array. */
export type ArrayInput = MxArray | number | boolean | NestedArray | TypedArrayInput;

function isTypedArray(v: unknown): v is TypedArrayInput {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function typedArrayDType(fn: string, v: TypedArrayInput): DType {
  if (v instanceof Float32Array || v instanceof Float64Array) return "float32";
  if (v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array) return "int32";
  if (v instanceof Uint32Array || v instanceof Uint16Array) return "uint32";
  if (v instanceof Uint8Array || v instanceof Uint8ClampedArray) return "uint32";
  throw new NnkitError(fn, `unsupported typed array ${describeValue(v)}`);
}

/** Walks nested arrays, checking they are rectangular; returns shape and flat values. */
function flatten(
  fn: string,
  values: unknown,
): { shape: number[]; flat: number[]; allBool: boolean } {
  const shape: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe) || isTypedArray(probe)) {
    shape.push(probe.length);
    probe = probe.length > 0 ? probe[0] : undefined;
  }
  const flat: number[] = [];
  let allBool = true;
  let sawValue = false;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v === "boolean") {
        flat.push(v ? 1 : 0);
      } else if (typeof v === "number") {
        allBool = false;
        flat.push(v);
      } else {
        throw new NnkitError(
          fn,
          `values${path} is ${describeValue(v)}, expected a number or boolean (nested arrays must be rectangular)`,
        );
      }
      sawValue = true;
      return;
    }
    if (!(Array.isArray(v) || isTypedArray(v)) || v.length !== shape[depth]) {
      const got = Array.isArray(v) || isTypedArray(v) ? `length ${v.length}` : describeValue(v);
      throw new NnkitError(
        fn,
        `values are ragged: values${path} has ${got} but ${path === "" ? "the top level" : "its siblings"} imply length ${shape[depth]} (nested arrays must be rectangular)`,
      );
    }
    if (isTypedArray(v)) allBool = false;
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, "");
  return { shape, flat, allBool: allBool && sawValue };
}

/**
 * Makes an array from host numbers in row-major order. The data is converted now and uploaded
 * to the backend at the array's first evaluation, so building a graph allocates no device
 * memory and an error while building one can leak none.
 */
export function fromHost(
  shape: Shape,
  dtype: DType,
  values: ArrayLike<number>,
  device?: string,
): MxArray {
  const name = device ?? getDefaultDevice();
  getBackend(name, "array");
  return new MxArray(shape, dtype, name, {
    node: { prim: { kind: "constant", data: encodeStorage(dtype, values) }, inputs: [] },
  });
}

/**
 * `array(values, dtype?)`: an array from a number, a boolean, nested arrays or a typed array.
 * Without a dtype, numbers give float32 (JavaScript has no int/float distinction to follow
 * MLX's int32 default), booleans give bool, and typed arrays keep their kind
 * (Float64Array → float32, signed → int32, unsigned → uint32).
 */
export function array(values: ArrayInput, dtype?: DType): MxArray {
  const fn = "array";
  if (dtype !== undefined) checkDType(fn, "dtype", dtype);
  if (values instanceof MxArray) {
    values._checkLive(fn, "values");
    return dtype === undefined || dtype === values.dtype ? values : values.astype(dtype);
  }
  if (typeof values === "number" || typeof values === "boolean") {
    const d = dtype ?? standaloneScalarDType(values);
    return fromHost([], d, [Number(values)]);
  }
  if (isTypedArray(values)) {
    return fromHost([values.length], dtype ?? typedArrayDType(fn, values), values);
  }
  if (!Array.isArray(values)) {
    throw new NnkitError(
      fn,
      `values must be a number, boolean, nested array or typed array; got ${describeValue(values)}`,
    );
  }
  const { shape, flat, allBool } = flatten(fn, values);
  return fromHost(shape, dtype ?? (allBool ? "bool" : "float32"), flat);
}

/** A lazy scalar constant, fused into kernels as a parameter rather than stored. */
export function scalar(value: number, dtype: DType, device: string): MxArray {
  return new MxArray([], dtype, device, { node: { prim: { kind: "scalar", value }, inputs: [] } });
}

/**
 * Converts an op argument to an array. Numbers next to an array are weak (MLX's Python
 * scalars): they take `like`'s dtype by the rules of `weakScalarDType`.
 */
export function toArray(fn: string, arg: string, x: ArrayInput, like?: MxArray): MxArray {
  if (x instanceof MxArray) {
    x._checkLive(fn, arg);
    return x;
  }
  if (typeof x === "number" || typeof x === "boolean") {
    const device = like?.device ?? getDefaultDevice();
    const dtype = like ? weakScalarDType(x, like.dtype) : standaloneScalarDType(x);
    return scalar(Number(x), dtype, device);
  }
  if (Array.isArray(x) || isTypedArray(x)) {
    return array(x, undefined);
  }
  throw new NnkitError(
    fn,
    `${arg} must be an array, a number, a boolean, nested arrays or a typed array; got ${describeValue(x)}`,
  );
}

/** Converts a pair of op arguments, letting a bare number take the other side's dtype. */
export function toArrayPair(
  fn: string,
  a: ArrayInput,
  b: ArrayInput,
  names: readonly [string, string] = ["a", "b"],
): [MxArray, MxArray] {
  const isScalar = (v: ArrayInput) => typeof v === "number" || typeof v === "boolean";
  if (isScalar(a) && !isScalar(b)) {
    const bb = toArray(fn, names[1], b);
    return [toArray(fn, names[0], a, bb), bb];
  }
  const aa = toArray(fn, names[0], a);
  return [aa, toArray(fn, names[1], b, isScalar(b) ? aa : undefined)];
}

/** Throws unless every input lives on the same backend. */
export function checkSameDevice(fn: string, ...arrays: MxArray[]): string {
  const first = arrays[0];
  if (!first) return getDefaultDevice();
  for (const a of arrays) {
    if (a.device !== first.device) {
      throw new NnkitError(
        fn,
        `inputs live on different backends ("${first.device}" and "${a.device}"); move one explicitly, e.g. x.to("${first.device}")`,
      );
    }
  }
  return first.device;
}
