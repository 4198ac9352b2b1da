import { type DType, type FusedExpr, NnkitError, type Shape, shapeSize } from "@nnkit/core";
import type { WebGPUBuffer } from "../gpu/buffer.js";
import type { GpuContext } from "../gpu/context.js";
import {
  ELEMENTS_PER_INVOCATION,
  type ElementwiseMode,
  type ElementwiseShaderSpec,
  elementwiseShader,
  elementwiseShaderKey,
  type InputLayout,
  MAX_DIMS,
  storageOf,
  type UniformPlan,
  uniformPlan,
  WORKGROUP_SIZE,
} from "../wgsl/elementwise-shader.js";
import { domainOf } from "../wgsl/ops.js";
import type { GpuView } from "./types.js";

/**
 * Fused elementwise kernels: plans how each input is read, picks the shader mode, splits the
 * work into dispatches that respect maxStorageBufferBindingSize and
 * maxComputeWorkgroupsPerDimension, and enqueues them with a pipeline cached by expression
 * structure, dtypes, input layouts and mode (wgsl/elementwise-shader.ts), never by size.
 *
 * Ranges: the output is cut into ranges of a multiple of minStorageBufferOffsetAlignment/2
 * elements, so every output binding offset is aligned; each input binds the elements the range
 * reads (contiguous inputs the matching sub-range, broadcast and strided inputs their
 * footprint), aligned down, the remainder passed as an element offset in the uniform.
 * Boxes: when some strided input (a transpose, say) reads more than one binding can hold for
 * every range worth a dispatch, the shape is cut into boxes instead (every array addressed
 * through strides), halving the dimension that spreads the largest footprint until all fit.
 */

/** Generated WGSL by cache key: generated (and validated) once, at encode time. */
const shaderSource = new Map<string, string>();

/** One array the kernel binds: the output or a read input. */
interface Operand {
  readonly buffer: GPUBuffer;
  /** Element offset of the view and its strides over the collapsed shape. */
  readonly offset: number;
  readonly strides: readonly number[];
  readonly bytes: number;
}

interface Dispatch {
  readonly words: Uint32Array;
  readonly bindings: GPUBufferBinding[];
  readonly workgroups: number;
}

const alignDown = (x: number, a: number) => Math.floor(x / a) * a;
const roundUp4 = (x: number) => Math.ceil(x / 4) * 4;

/**
 * Drops dimensions of size 1 and merges neighbouring dimensions that every read input walks
 * contiguously (the output always does), so most views need few dimensions.
 */
function collapse(
  outShape: Shape,
  views: readonly (GpuView | undefined)[],
): { shape: number[]; strides: (number[] | undefined)[] } {
  const shape: number[] = [];
  const strides: (number[] | undefined)[] = views.map((v) => (v ? [] : undefined));
  for (let d = 0; d < outShape.length; d++) {
    const size = outShape[d] as number;
    if (size === 1) continue;
    const last = shape.length - 1;
    const mergeable =
      last >= 0 &&
      views.every(
        (v, k) => !v || (strides[k] as number[])[last] === (v.strides[d] as number) * size,
      );
    if (mergeable) shape[last] = (shape[last] as number) * size;
    else shape.push(size);
    for (const [k, v] of views.entries()) {
      if (!v) continue;
      const s = strides[k] as number[];
      if (mergeable) s[last] = v.strides[d] as number;
      else s.push(v.strides[d] as number);
    }
  }
  return { shape, strides };
}

function contiguous(shape: readonly number[]): number[] {
  const s: number[] = new Array(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d] as number;
  }
  return s;
}

function layoutOf(strides: readonly number[], shape: readonly number[]): InputLayout {
  if (strides.every((s) => s === 0)) return "constant";
  return strides.every((s, d) => s === contiguous(shape)[d]) ? "contiguous" : "strided";
}

/**
 * Lowest and highest of Σ c_d·strides_d over the row-major linear indices [s, e) of `shape`
 * (e > s): the elements a range of the output reads from a strided view.
 */
export function rangeExtent(
  shape: readonly number[],
  strides: readonly number[],
  s: number,
  e: number,
): [number, number] {
  const rank = shape.length;
  const block: number[] = new Array(rank + 1).fill(1);
  const full: [number, number][] = new Array(rank + 1).fill([0, 0]);
  for (let d = rank - 1; d >= 0; d--) {
    block[d] = (block[d + 1] as number) * (shape[d] as number);
    const span = (strides[d] as number) * ((shape[d] as number) - 1);
    const [lo, hi] = full[d + 1] as [number, number];
    full[d] = [lo + Math.min(0, span), hi + Math.max(0, span)];
  }
  const ext = (d: number, s: number, e: number): [number, number] => {
    if (d === rank || (s === 0 && e === block[d])) return full[d] as [number, number];
    const b = block[d + 1] as number;
    const stride = strides[d] as number;
    const first = Math.floor(s / b);
    const last = Math.floor((e - 1) / b);
    if (first === last) {
      const [lo, hi] = ext(d + 1, s - first * b, e - first * b);
      return [lo + first * stride, hi + first * stride];
    }
    const h = ext(d + 1, s - first * b, b);
    const t = ext(d + 1, 0, e - last * b);
    let lo = Math.min(h[0] + first * stride, t[0] + last * stride);
    let hi = Math.max(h[1] + first * stride, t[1] + last * stride);
    if (last - first >= 2) {
      const [flo, fhi] = full[d + 1] as [number, number];
      const a = (first + 1) * stride;
      const z = (last - 1) * stride;
      lo = Math.min(lo, flo + Math.min(a, z));
      hi = Math.max(hi, fhi + Math.max(a, z));
    }
    return [lo, hi];
  };
  return ext(0, s, e);
}

/** The binding of elements [lo, hi] of `op` (aligned down) and the element offset of `first`. */
function footprint(
  op: Operand,
  lo: number,
  hi: number,
  first: number,
  align: number,
): { binding: GPUBufferBinding; inner: number } {
  const offset = alignDown(lo * op.bytes, align);
  const size = roundUp4((hi + 1) * op.bytes - offset);
  return { binding: { buffer: op.buffer, offset, size }, inner: first - offset / op.bytes };
}

/** Enqueues one fused elementwise kernel writing `out` (row-major over `outShape`). */
export function encodeElementwise(
  ctx: GpuContext,
  expr: FusedExpr,
  inputs: readonly GpuView[],
  scalars: readonly number[],
  outShape: Shape,
  out: WebGPUBuffer,
): void {
  const n = shapeSize(outShape);
  if (n === 0) return;
  const read = inputs.map((_, k) => expr.nodes.some((nd) => nd.kind === "input" && nd.index === k));
  const views = inputs.map((v, k) => (read[k] ? v : undefined));
  const { shape, strides } = collapse(outShape, views);
  if (shape.length > MAX_DIMS) {
    throw new NnkitError(
      "evaluate",
      `the webgpu backend reads strided inputs through at most ${MAX_DIMS} dimensions; these views need ${shape.length} (make an input contiguous first)`,
    );
  }
  const operands = views.map((v, k): Operand | undefined =>
    v
      ? {
          buffer: v.buffer.gpu,
          offset: v.offset,
          strides: strides[k] as number[],
          bytes: storageOf(expr.inputDtypes[k] as DType).bytes,
        }
      : undefined,
  );
  const output: Operand = {
    buffer: out.gpu,
    offset: 0,
    strides: contiguous(shape),
    bytes: storageOf(expr.outDtype).bytes,
  };
  const { maxStorageBufferBindingSize: maxBind, maxComputeWorkgroupsPerDimension: maxWg } =
    ctx.limits;
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const maxGroups = maxWg * maxWg;

  const dispatches =
    planRanges(expr, scalars, shape, operands, output, n, maxBind, maxGroups, align) ??
    planBoxes(expr, scalars, shape, operands, output, maxBind, maxGroups, align);
  const { spec, list } = dispatches;

  const key = elementwiseShaderKey(spec);
  let code = shaderSource.get(key);
  if (code === undefined) {
    code = elementwiseShader(spec);
    shaderSource.set(key, code);
  }
  const source = code;
  ctx.enqueue(async () => {
    const pipeline = await ctx.pipeline(key, () => source);
    for (const d of list) {
      ctx.dispatch(pipeline, [{ buffer: ctx.uniform(d.words) }, ...d.bindings], d.workgroups);
    }
  });
}

interface Planned {
  readonly spec: ElementwiseShaderSpec;
  readonly list: Dispatch[];
}

/** Uniform words common to every dispatch: rank, 1.0f, shape, scalars. */
function baseWords(
  plan: UniformPlan,
  expr: FusedExpr,
  scalars: readonly number[],
  shape: readonly number[],
) {
  const words = new Uint32Array(plan.words);
  const view = new DataView(words.buffer);
  words[2] = shape.length;
  words[3] = 0x3f800000; // 1.0f, see nk_one_ in wgsl/math/core.ts
  for (const [d, size] of shape.entries()) words[4 + d] = size;
  const dtypes = new Map<number, DType>();
  for (const nd of expr.nodes) if (nd.kind === "scalar") dtypes.set(nd.index, nd.dtype);
  for (const [s, w] of plan.scalar.entries()) {
    const v = scalars[s] ?? 0;
    const at = w * 4;
    switch (domainOf(dtypes.get(s) ?? "float32")) {
      case "float": {
        // float64 value as f32 hi + lo (about 48 bits)
        const hi = Math.fround(v);
        view.setFloat32(at, hi, true);
        view.setFloat32(at + 4, Number.isFinite(hi) ? Math.fround(v - hi) : 0, true);
        break;
      }
      case "int32":
        view.setInt32(at, v | 0, true);
        break;
      case "uint32":
        view.setUint32(at, v >>> 0, true);
        break;
      case "bool":
        view.setUint32(at, v !== 0 ? 1 : 0, true);
        break;
    }
  }
  return words;
}

/**
 * Dispatches over ranges of the output, or undefined when some strided input would need a
 * binding over the limit even for the smallest worthwhile range.
 */
function planRanges(
  expr: FusedExpr,
  scalars: readonly number[],
  shape: readonly number[],
  operands: readonly (Operand | undefined)[],
  output: Operand,
  n: number,
  maxBind: number,
  maxGroups: number,
  align: number,
): Planned | undefined {
  const layouts = operands.map((op) => (op ? layoutOf(op.strides, shape) : undefined));
  // vec4: 4-byte output; every read input constant, or contiguous 4-byte storage at an offset
  // that is a multiple of 4; room in every buffer for the padded last vec4.
  const padded = Math.ceil(n / 4) * 4;
  const vec4 =
    output.bytes === 4 &&
    padded * 4 <= output.buffer.size &&
    operands.every((op, k) => {
      if (!op || layouts[k] === "constant") return true;
      return (
        layouts[k] === "contiguous" &&
        op.bytes === 4 &&
        op.offset % 4 === 0 &&
        (op.offset + padded) * 4 <= op.buffer.size
      );
    });
  const mode: ElementwiseMode = expr.outDtype === "float16" ? "half2" : vec4 ? "vec4" : "scalar";
  const perInvocation = ELEMENTS_PER_INVOCATION[mode];

  // Range length: contiguous bindings and the dispatch size bound it; ranges start at multiples
  // of `unit` elements so output offsets are aligned for 2- and 4-byte elements.
  const unit = Math.max(4, align / 2);
  let chunk = Math.floor((maxBind - 16) / output.bytes);
  for (const [k, op] of operands.entries()) {
    if (!op || layouts[k] !== "contiguous") continue;
    chunk = Math.min(
      chunk,
      Math.floor((maxBind - 16 - ((op.offset * op.bytes) % align)) / op.bytes),
    );
  }
  chunk = alignDown(Math.min(chunk, maxGroups * WORKGROUP_SIZE * perInvocation), unit);
  if (chunk < unit) {
    throw new NnkitError(
      "evaluate",
      `maxStorageBufferBindingSize (${maxBind} bytes) is too small for the webgpu elementwise kernel`,
    );
  }

  const spec: ElementwiseShaderSpec = { expr, layouts, mode };
  const plan = uniformPlan(expr, layouts, mode);
  const base = baseWords(plan, expr, scalars, shape);
  // Halve the range until every broadcast or strided input's footprint fits in a binding.
  for (; chunk >= unit; chunk = alignDown(chunk / 2, unit)) {
    const list: Dispatch[] = [];
    let fits = true;
    for (let start = 0; start < n && fits; start += chunk) {
      const len = Math.min(chunk, n - start);
      const words = base.slice();
      words[0] = len;
      words[1] = start;
      const outSize = mode === "vec4" ? Math.ceil(len / 4) * 16 : roundUp4(len * output.bytes);
      const bindings: GPUBufferBinding[] = [
        { buffer: output.buffer, offset: start * output.bytes, size: outSize },
      ];
      for (const [k, op] of operands.entries()) {
        if (!op) continue;
        const at = plan.inputOffset[k] as number;
        if (layouts[k] === "contiguous") {
          const first = (op.offset + start) * op.bytes;
          const offset = alignDown(first, align);
          const inner = (first - offset) / op.bytes;
          words[at] = inner;
          const size =
            mode === "vec4"
              ? inner * 4 + Math.ceil(len / 4) * 16
              : roundUp4(first - offset + len * op.bytes);
          bindings.push({ buffer: op.buffer, offset, size });
          continue;
        }
        // constant and strided: the footprint of this range; strided coordinates start from
        // the view's own offset (word 1 is the range start over the whole shape)
        const [lo, hi] = rangeExtent(shape, op.strides, start, start + len);
        const f = footprint(op, op.offset + lo, op.offset + hi, op.offset, align);
        if ((f.binding.size as number) > maxBind) {
          fits = false;
          break;
        }
        words[at] = f.inner >>> 0;
        const sw = plan.inputStrides[k];
        if (sw !== undefined) for (const [d, s] of op.strides.entries()) words[sw + d] = s >>> 0;
        bindings.push(f.binding);
      }
      const items = Math.ceil(len / perInvocation);
      list.push({ words, bindings, workgroups: Math.ceil(items / WORKGROUP_SIZE) });
    }
    if (fits) return { spec, list };
    // only strided footprints can fail; halving helps only if some range could fit
    if (!layouts.includes("strided")) break;
  }
  return undefined;
}

/** Dispatches over boxes of the shape, every array addressed through its strides. */
function planBoxes(
  expr: FusedExpr,
  scalars: readonly number[],
  shape: readonly number[],
  operands: readonly (Operand | undefined)[],
  output: Operand,
  maxBind: number,
  maxGroups: number,
  align: number,
): Planned {
  const layouts = operands.map((op) =>
    op ? (op.strides.every((s) => s === 0) ? "constant" : "strided") : undefined,
  );
  const mode: ElementwiseMode = "box";
  const spec: ElementwiseShaderSpec = { expr, layouts, mode };
  const plan = uniformPlan(expr, layouts, mode);
  const base = baseWords(plan, expr, scalars, shape);
  base[1] = 0;

  // Box sizes: halve the dimension that spreads the largest over-limit footprint.
  const all = [output, ...operands.filter((op): op is Operand => op !== undefined)];
  const box = shape.slice();
  const bytesOf = (op: Operand) => {
    let span = 0;
    for (const [d, s] of op.strides.entries()) span += Math.abs(s) * ((box[d] as number) - 1);
    return (span + 1) * op.bytes + align + 4;
  };
  for (;;) {
    let worst: Operand | undefined;
    for (const op of all)
      if (bytesOf(op) > maxBind && (!worst || bytesOf(op) > bytesOf(worst))) worst = op;
    const count = box.reduce((a, b) => a * b, 1);
    let dim = -1;
    if (worst) {
      let widest = 0;
      for (const [d, s] of worst.strides.entries()) {
        const w = Math.abs(s) * ((box[d] as number) - 1);
        if (w > widest) {
          widest = w;
          dim = d;
        }
      }
    } else if (count > maxGroups * WORKGROUP_SIZE) {
      dim = box.findIndex((b) => b > 1);
    }
    if (dim < 0) break;
    box[dim] = Math.ceil((box[dim] as number) / 2);
  }
  if (all.some((op) => bytesOf(op) > maxBind)) {
    throw new NnkitError(
      "evaluate",
      `maxStorageBufferBindingSize (${maxBind} bytes) is too small for the webgpu elementwise kernel`,
    );
  }

  const list: Dispatch[] = [];
  const origin = shape.map(() => 0);
  for (;;) {
    const size = shape.map((s, d) => Math.min(box[d] as number, s - (origin[d] as number)));
    const count = size.reduce((a, b) => a * b, 1);
    const words = base.slice();
    words[0] = count;
    for (const [d, s] of size.entries()) words[4 + d] = s;
    const place = (op: Operand, at: number, stridesAt: number | undefined): GPUBufferBinding => {
      let first = op.offset;
      let lo = 0;
      let hi = 0;
      for (const [d, s] of op.strides.entries()) {
        first += s * (origin[d] as number);
        const span = s * ((size[d] as number) - 1);
        lo += Math.min(0, span);
        hi += Math.max(0, span);
      }
      const f = footprint(op, first + lo, first + hi, first, align);
      words[at] = f.inner >>> 0;
      if (stridesAt !== undefined) {
        for (const [d, s] of op.strides.entries()) words[stridesAt + d] = s >>> 0;
      }
      return f.binding;
    };
    const bindings = [place(output, plan.outOffset as number, plan.outStrides)];
    for (const [k, op] of operands.entries()) {
      if (!op) continue;
      bindings.push(place(op, plan.inputOffset[k] as number, plan.inputStrides[k]));
    }
    list.push({ words, bindings, workgroups: Math.ceil(count / WORKGROUP_SIZE) });
    // next box origin, row-major
    let d = shape.length - 1;
    for (; d >= 0; d--) {
      origin[d] = (origin[d] as number) + (box[d] as number);
      if ((origin[d] as number) < (shape[d] as number)) break;
      origin[d] = 0;
    }
    if (d < 0) break;
  }
  return { spec, list };
}
