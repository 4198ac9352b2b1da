import type { Backend, DeviceBuffer } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { decodeStorage } from "../dtype/convert.js";
import type { DType, StorageArray } from "../dtype/dtype.js";
import { describeValue, NnkitError } from "../errors.js";
import { copyContiguous, evaluateNow, evaluateSync } from "../eval/evaluate.js";
import type { Primitive } from "../graph/primitive.js";
import { BufferClaim, bufferFinalizer, isWholeBuffer, type Storage } from "../graph/storage.js";
import { astype, stopGradient } from "../ops/cast.js";
import * as ew from "../ops/elementwise.js";
import type { ArrayInput } from "../ops/input.js";
import * as red from "../ops/reduce.js";
import * as so from "../ops/shape-ops.js";
import { logSoftmax, softmax } from "../ops/softmax.js";
import { formatArray } from "../print/index.js";
import { frozenShape, type Shape, shapeSize } from "../shape/shape.js";

/** The inputs and primitive of an unevaluated array. */
export interface GraphNode {
  readonly prim: Primitive;
  readonly inputs: readonly MxArray[];
}

/** Readers for `_withWholeBuffer`, shared rather than a closure per read. */
const readSync = (backend: Backend, buffer: DeviceBuffer): StorageArray => backend.readSync(buffer);
const readAsync = (backend: Backend, buffer: DeviceBuffer): Promise<StorageArray> =>
  backend.read(buffer);

/** Nested JavaScript arrays of numbers or booleans, as `tolist()` returns them. */
export type NestedList = number | boolean | NestedList[];

/**
 * An n-dimensional array, lazy as in MLX: creating one through an op records the op; the
 * work happens when it is evaluated (`evaluate`, `data`, `dataSync`, `tolist`, printing).
 * The op methods below are one-line forwards to the functions of the same name.
 */
export class MxArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Name of the backend this array lives on. */
  readonly device: string;
  /** @internal */ _node: GraphNode | undefined;
  /** @internal */ _storage: Storage | undefined;
  /** @internal */ _disposed = false;
  /** @internal This array's hold on its storage's buffer (see `bufferFinalizer`). */
  _claim: BufferClaim | undefined;

  /** @internal Use `array()` or an op to make arrays. */
  constructor(
    shape: Shape,
    dtype: DType,
    device: string,
    source: { node: GraphNode } | { storage: Storage },
  ) {
    this.shape = frozenShape(shape);
    this.dtype = dtype;
    this.device = device;
    if ("node" in source) this._node = source.node;
    else this._setStorage(source.storage);
  }

  get size(): number {
    return shapeSize(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Whether the array holds computed data. */
  get isEvaluated(): boolean {
    return this._storage !== undefined;
  }

  /** @internal Gives the array its computed data and drops its graph. */
  _setStorage(storage: Storage): void {
    this._storage = storage;
    this._node = undefined;
    this._claim = new BufferClaim(storage.ref);
    bufferFinalizer.register(this, this._claim);
  }

  /** @internal Throws if the array was disposed; `fn` names the caller. */
  _checkLive(fn: string, arg = "input"): void {
    if (this._disposed) {
      throw new NnkitError(fn, `${arg} was disposed and cannot be used any more`);
    }
  }

  /** Frees the array's memory now. Using the array afterwards throws. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._claim?.release();
    this._claim = undefined;
    this._storage = undefined;
    this._node = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- reading data -------------------------------------------------------------------

  /** @internal The array's elements as a contiguous host array (evaluated first). */
  private _readSync(fn: string): StorageArray {
    this._checkLive(fn, "array");
    const backend = getBackend(this.device, fn);
    if (!backend.canReadSync) {
      throw new NnkitError(
        fn,
        `the "${this.device}" backend cannot read synchronously; use await x.data() instead`,
      );
    }
    evaluateSync(fn, [this]);
    return this._withWholeBuffer(backend, readSync);
  }

  /** @internal Runs `read` on a buffer holding exactly this array's elements in order. */
  private _withWholeBuffer<T>(
    backend: Backend,
    read: (backend: Backend, buffer: DeviceBuffer) => T,
  ): T {
    const st = this._storage as Storage;
    if (isWholeBuffer(st, this.shape, this.size)) return read(backend, st.ref.buffer);
    const copy = copyContiguous(backend, this, st);
    try {
      const out = read(backend, copy.ref.buffer);
      if (out instanceof Promise) {
        return out.finally(() => copy.ref.release()) as T;
      }
      copy.ref.release();
      return out;
    } catch (e) {
      copy.ref.release();
      throw e;
    }
  }

  /**
   * The elements as a typed array of the array's dtype (float16/bfloat16 as `Uint16Array`
   * bit patterns; see `toFloat32`). Always a fresh copy.
   */
  async data(): Promise<StorageArray> {
    this._checkLive("data", "array");
    const pending = evaluateNow("data", [this]);
    if (pending) await pending;
    const backend = getBackend(this.device, "data");
    // A backend that can read synchronously is read so: the same copy, without waiting on the
    // promise of its `read` (microtask turns that dominate small reads).
    if (backend.canReadSync) return this._withWholeBuffer(backend, readSync);
    return this._withWholeBuffer(backend, readAsync);
  }

  /** Like `data()`, synchronously; only on backends that can read synchronously (the CPU). */
  dataSync(): StorageArray {
    return this._readSync("dataSync");
  }

  /** The elements as float32 values, whatever the dtype (float16/bfloat16 decoded). */
  async toFloat32(): Promise<Float32Array> {
    return Float32Array.from(decodeStorage(this.dtype, await this.data()));
  }

  /** The elements as nested JavaScript arrays (a number or boolean for a 0-d array). */
  tolist(): NestedList {
    const flat = decodeStorage(this.dtype, this._readSync("tolist"));
    const asValue = this.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
    let pos = 0;
    const build = (dim: number): NestedList => {
      if (dim === this.ndim) return asValue(flat[pos++] as number);
      const n = this.shape[dim] as number;
      const out: NestedList[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1));
      return out;
    };
    return build(0);
  }

  /** The single element of a size-1 array. */
  item(): number | boolean {
    if (this.size !== 1) {
      throw new NnkitError(
        "item",
        `only arrays with one element can be converted to a scalar; this one has shape (${this.shape.join(", ")})`,
      );
    }
    const v = decodeStorage(this.dtype, this._readSync("item"))[0] as number;
    return this.dtype === "bool" ? v !== 0 : v;
  }

  /** MLX's printed form, e.g. `array([1, 2], dtype=float32)`. Evaluates the array. */
  toString(): string {
    if (this._disposed)
      return `array(<disposed>, shape=(${this.shape.join(", ")}), dtype=${this.dtype})`;
    if (!getBackend(this.device, "toString").canReadSync && !this._storage) {
      return `array(<unevaluated on ${this.device}; await evaluate(x) to print>, shape=(${this.shape.join(", ")}), dtype=${this.dtype})`;
    }
    if (!getBackend(this.device, "toString").canReadSync) {
      return `array(<on ${this.device}; print await x.data()>, shape=(${this.shape.join(", ")}), dtype=${this.dtype})`;
    }
    return formatArray(
      decodeStorage(this.dtype, this._readSync("toString")),
      this.shape,
      this.dtype,
    );
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** A copy of this array on backend `device` (computed at evaluation). */
  to(device: string): MxArray {
    this._checkLive("to", "array");
    if (typeof device !== "string") {
      throw new NnkitError("to", `device must be a backend name; got ${describeValue(device)}`);
    }
    getBackend(device, "to");
    if (device === this.device) return this;
    return new MxArray(this.shape, this.dtype, device, {
      node: { prim: { kind: "transfer" }, inputs: [this] },
    });
  }

  // ---- op methods (MLX's array methods, plus arithmetic since JavaScript has no operators) --

  astype(dtype: DType): MxArray {
    return astype(this, dtype);
  }
  reshape(shape: readonly number[]): MxArray {
    return so.reshape(this, shape);
  }
  transpose(axes?: readonly number[]): MxArray {
    return so.transpose(this, axes);
  }
  squeeze(axis?: number | readonly number[]): MxArray {
    return so.squeeze(this, axis);
  }
  expandDims(axis: number | readonly number[]): MxArray {
    return so.expandDims(this, axis);
  }
  split(indicesOrSections: number | readonly number[], axis = 0): MxArray[] {
    return so.split(this, indicesOrSections, axis);
  }
  broadcastTo(shape: readonly number[]): MxArray {
    return so.broadcastTo(this, shape);
  }

  add(other: ArrayInput): MxArray {
    return ew.add(this, other);
  }
  subtract(other: ArrayInput): MxArray {
    return ew.subtract(this, other);
  }
  multiply(other: ArrayInput): MxArray {
    return ew.multiply(this, other);
  }
  divide(other: ArrayInput): MxArray {
    return ew.divide(this, other);
  }
  power(other: ArrayInput): MxArray {
    return ew.power(this, other);
  }
  maximum(other: ArrayInput): MxArray {
    return ew.maximum(this, other);
  }
  minimum(other: ArrayInput): MxArray {
    return ew.minimum(this, other);
  }
  greater(other: ArrayInput): MxArray {
    return ew.greater(this, other);
  }
  greaterEqual(other: ArrayInput): MxArray {
    return ew.greaterEqual(this, other);
  }
  less(other: ArrayInput): MxArray {
    return ew.less(this, other);
  }
  lessEqual(other: ArrayInput): MxArray {
    return ew.lessEqual(this, other);
  }
  equal(other: ArrayInput): MxArray {
    return ew.equal(this, other);
  }
  notEqual(other: ArrayInput): MxArray {
    return ew.notEqual(this, other);
  }

  negative(): MxArray {
    return ew.negative(this);
  }
  abs(): MxArray {
    return ew.abs(this);
  }
  sign(): MxArray {
    return ew.sign(this);
  }
  square(): MxArray {
    return ew.square(this);
  }
  sqrt(): MxArray {
    return ew.sqrt(this);
  }
  exp(): MxArray {
    return ew.exp(this);
  }
  expm1(): MxArray {
    return ew.expm1(this);
  }
  log(): MxArray {
    return ew.log(this);
  }
  log1p(): MxArray {
    return ew.log1p(this);
  }
  tanh(): MxArray {
    return ew.tanh(this);
  }
  erf(): MxArray {
    return ew.erf(this);
  }
  erfinv(): MxArray {
    return ew.erfinv(this);
  }
  sigmoid(): MxArray {
    return ew.sigmoid(this);
  }
  stopGradient(): MxArray {
    return stopGradient(this);
  }

  sum(axis?: red.AxisArg, keepdims = false): MxArray {
    return red.sum(this, axis, keepdims);
  }
  mean(axis?: red.AxisArg, keepdims = false): MxArray {
    return red.mean(this, axis, keepdims);
  }
  max(axis?: red.AxisArg, keepdims = false): MxArray {
    return red.max(this, axis, keepdims);
  }
  min(axis?: red.AxisArg, keepdims = false): MxArray {
    return red.min(this, axis, keepdims);
  }
  softmax(axis?: red.AxisArg): MxArray {
    return softmax(this, axis);
  }
  logSoftmax(axis?: red.AxisArg): MxArray {
    return logSoftmax(this, axis);
  }
  logsumexp(axis?: red.AxisArg, keepdims = false): MxArray {
    return red.logsumexp(this, axis, keepdims);
  }
}

export type { StorageArray };
