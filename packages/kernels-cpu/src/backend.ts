import {
  allocateStorage,
  type Backend,
  contiguousStrides,
  type DeviceBuffer,
  type DType,
  type FusedExpr,
  type ReduceOp,
  randomBits,
  type Shape,
  type StorageArray,
  type StridedView,
  shapeSize,
} from "@nnkit/core";
import { CpuBuffer } from "./buffer/cpu-buffer.js";
import { type CompiledKernel, compileKernel } from "./elementwise/compile.js";
import { interpretKernel } from "./elementwise/interpret.js";
import { inputLayout, type KernelArgs } from "./elementwise/prepare.js";
import { reduceStorage } from "./reduce/reduce.js";
import { softmaxStorage } from "./reduce/softmax.js";

export interface CpuBackendOptions {
  /** Registry name; "cpu" by default. */
  readonly name?: string;
  /**
   * "compiled" generates a JavaScript loop per fused expression (fast); "interpreted" never
   * generates code (for Content Security Policies without 'unsafe-eval'); "auto" (default)
   * compiles when the environment allows it.
   */
  readonly mode?: "auto" | "compiled" | "interpreted";
}

function canGenerateCode(): boolean {
  try {
    return new Function("return 1")() === 1;
  } catch {
    return false;
  }
}

/**
 * nnkit's CPU backend: typed arrays in JavaScript memory; fused elementwise expressions are
 * evaluated in float64 and rounded once to the output dtype.
 */
export class CpuBackend implements Backend {
  readonly name: string;
  readonly canReadSync = true;
  readonly mode: "compiled" | "interpreted";
  private live = 0;
  private readonly kernels = new Map<string, CompiledKernel>();

  constructor(options: CpuBackendOptions = {}) {
    this.name = options.name ?? "cpu";
    const mode = options.mode ?? "auto";
    this.mode = mode === "auto" ? (canGenerateCode() ? "compiled" : "interpreted") : mode;
  }

  /** Number of distinct compiled kernels (one per expression structure, dtypes and layout). */
  get compiledKernelCount(): number {
    return this.kernels.size;
  }

  liveBuffers(): number {
    return this.live;
  }

  private wrap(dtype: DType, data: StorageArray): CpuBuffer {
    this.live++;
    return new CpuBuffer(this.name, dtype, data, () => {
      this.live--;
    });
  }

  private own(buffer: DeviceBuffer): CpuBuffer {
    if (!(buffer instanceof CpuBuffer) || buffer.backend !== this.name) {
      throw new Error(`${this.name}: received a buffer of backend "${buffer.backend}"`);
    }
    return buffer;
  }

  upload(dtype: DType, data: StorageArray): DeviceBuffer {
    return this.wrap(dtype, data);
  }

  readSync(buffer: DeviceBuffer): StorageArray {
    return this.own(buffer).data.slice();
  }

  async read(buffer: DeviceBuffer): Promise<StorageArray> {
    return this.readSync(buffer);
  }

  elementwise(
    expr: FusedExpr,
    inputs: readonly StridedView[],
    scalars: readonly number[],
    outShape: Shape,
  ): DeviceBuffer {
    const out = allocateStorage(expr.outDtype, shapeSize(outShape));
    const args: KernelArgs = {
      out,
      inputs: inputs.map((v) => this.own(v.buffer).data),
      offsets: inputs.map((v) => v.offset),
      strides: inputs.map((v) => v.strides),
      shape: outShape,
      scalars,
    };
    if (out.length > 0) {
      if (this.mode === "interpreted") {
        interpretKernel(expr, args);
      } else {
        const layouts = inputs.map((v) => inputLayout(v.strides, outShape));
        const key = `${expr.key}|${layouts.join(",")}`;
        let kernel = this.kernels.get(key);
        if (!kernel) {
          kernel = compileKernel(expr, layouts);
          this.kernels.set(key, kernel);
        }
        kernel(args);
      }
    }
    return this.wrap(expr.outDtype, out);
  }

  reduce(
    op: ReduceOp,
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    outDtype: DType,
  ): DeviceBuffer {
    const src = this.own(input.buffer);
    const outSize = shape.reduce((n, d, i) => (axes.includes(i) ? n : n * d), 1);
    const out = allocateStorage(outDtype, outSize);
    reduceStorage(op, src.data, src.dtype, input.offset, input.strides, shape, axes, out, outDtype);
    return this.wrap(outDtype, out);
  }

  softmax(
    input: StridedView,
    shape: Shape,
    axes: readonly number[],
    log: boolean,
    outDtype: DType,
  ): DeviceBuffer {
    const src = this.own(input.buffer);
    const out = allocateStorage(outDtype, shapeSize(shape));
    softmaxStorage(
      src.data,
      src.dtype,
      input.offset,
      input.strides,
      shape,
      axes,
      log,
      out,
      outDtype,
    );
    return this.wrap(outDtype, out);
  }

  concatenate(
    inputs: readonly StridedView[],
    shapes: readonly Shape[],
    axis: number,
    outShape: Shape,
    dtype: DType,
  ): DeviceBuffer {
    const out = allocateStorage(dtype, shapeSize(outShape));
    const innerSize = shapeSize(outShape.slice(axis + 1));
    const outer = shapeSize(outShape.slice(0, axis));
    const outBlock = (outShape[axis] as number) * innerSize;
    let prefix = 0;
    inputs.forEach((view, i) => {
      const shape = shapes[i] as Shape;
      const src = this.contiguousData(view, shape, dtype);
      const block = (shape[axis] as number) * innerSize;
      for (let o = 0; o < outer; o++) {
        const from = o * block;
        const to = o * outBlock + prefix * innerSize;
        for (let j = 0; j < block; j++) out[to + j] = src[from + j] as number;
      }
      prefix += shape[axis] as number;
    });
    return this.wrap(dtype, out);
  }

  /** A view's elements in row-major order, copying only when the view is not already so. */
  private contiguousData(view: StridedView, shape: Shape, dtype: DType): StorageArray {
    const src = this.own(view.buffer);
    const size = shapeSize(shape);
    const c = contiguousStrides(shape);
    if (shape.every((d, i) => d <= 1 || view.strides[i] === c[i])) {
      return src.data.subarray(view.offset, view.offset + size);
    }
    const copy = allocateStorage(dtype, size);
    const args: KernelArgs = {
      out: copy,
      inputs: [src.data],
      offsets: [view.offset],
      strides: [view.strides],
      shape,
      scalars: [],
    };
    // Raw storage copy: identity on the stored bits, so no decode/encode is needed.
    interpretKernel(
      {
        nodes: [{ kind: "input", index: 0, dtype: "uint32" }],
        inputDtypes: ["uint32"],
        scalarCount: 0,
        outDtype: "uint32",
        key: "copy",
      },
      args,
    );
    return copy;
  }

  randomBits(key: StridedView, count: number): DeviceBuffer {
    const k = this.own(key.buffer).data;
    const words = [k[key.offset] as number, k[key.offset + (key.strides[0] ?? 1)] as number];
    return this.wrap("uint32", randomBits(words, count));
  }
}
