import { MxArray } from "../array/array.js";
import { getDefaultDevice } from "../backend/registry.js";
import { checkDType, type DType } from "../dtype/dtype.js";
import { describeValue, NnkitError } from "../errors.js";
import { checkShape } from "../shape/shape.js";
import { astype } from "./cast.js";
import { fromHost, scalar } from "./input.js";
import { broadcastTo } from "./shape-ops.js";

/**
 * `full(shape, value, dtype?)`: every element `value`. Lazy: the constant is fused into the
 * kernels that use it and only stored if the array itself is evaluated.
 */
export function full(
  shape: readonly number[],
  value: number | boolean | MxArray,
  dtype?: DType,
): MxArray {
  const fn = "full";
  const s = checkShape(fn, "shape", shape);
  if (dtype !== undefined) checkDType(fn, "dtype", dtype);
  if (value instanceof MxArray) {
    value._checkLive(fn, "value");
    const v = dtype === undefined || dtype === value.dtype ? value : astype(value, dtype);
    return broadcastTo(v, s);
  }
  if (typeof value !== "number" && typeof value !== "boolean") {
    throw new NnkitError(
      fn,
      `value must be a number, boolean or array; got ${describeValue(value)}`,
    );
  }
  const d = dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  return broadcastTo(scalar(Number(value), d, getDefaultDevice()), s);
}

export function zeros(shape: readonly number[], dtype: DType = "float32"): MxArray {
  // Validated here so that errors name zeros, not full.
  checkShape("zeros", "shape", shape);
  checkDType("zeros", "dtype", dtype);
  return full(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = "float32"): MxArray {
  checkShape("ones", "shape", shape);
  checkDType("ones", "dtype", dtype);
  return full(shape, 1, dtype);
}

function checkFinite(fn: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new NnkitError(fn, `${arg} must be a finite number; got ${describeValue(v)}`);
  }
  return v;
}

/**
 * `arange(stop)` or `arange(start, stop, step = 1, dtype?)`: evenly spaced values in
 * [start, stop). As in MLX, the dtype is int32 when every argument is an integer, else float32.
 */
export function arange(start: number, stop?: number, step = 1, dtype?: DType): MxArray {
  const fn = "arange";
  let lo = checkFinite(fn, "start", start);
  let hi: number;
  if (stop === undefined) {
    hi = lo;
    lo = 0;
  } else {
    hi = checkFinite(fn, "stop", stop);
  }
  checkFinite(fn, "step", step);
  if (step === 0) throw new NnkitError(fn, "step must not be zero");
  if (dtype !== undefined) checkDType(fn, "dtype", dtype);
  const d = dtype ?? ([lo, hi, step].every(Number.isInteger) ? "int32" : "float32");
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + i * step;
  return fromHost([n], d, values);
}

/** `linspace(start, stop, num = 50, dtype = "float32")`: num values from start to stop inclusive. */
export function linspace(start: number, stop: number, num = 50, dtype: DType = "float32"): MxArray {
  const fn = "linspace";
  checkFinite(fn, "start", start);
  checkFinite(fn, "stop", stop);
  if (!Number.isInteger(num) || num < 0) {
    throw new NnkitError(fn, `num must be a non-negative integer; got ${describeValue(num)}`);
  }
  checkDType(fn, "dtype", dtype);
  const values = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromHost([num], dtype, values);
}
