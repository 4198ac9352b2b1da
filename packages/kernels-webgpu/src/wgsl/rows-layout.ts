import { NnkitError } from "@nnkit/core";
import type { GpuContext } from "../gpu/context.js";

/**
 * Layout planning shared by the row kernels (reduce, softmax, concatenate's strided copy).
 *
 * A row kernel walks "rows" (the kept axes, row-major) and, within each row, "elements" (the
 * reduced axes, row-major). Every axis has a size, an input stride and an output stride (all in
 * elements; output strides of reduced axes are 0 for reductions). Sizes and strides travel in
 * one uniform buffer, so a pipeline depends only on the op, the dtypes, the two (collapsed)
 * ranks and the workgroup strategy, never on the sizes.
 *
 * Large arrays are split into chunks of rows: each chunk binds only the byte ranges of the input
 * and output it touches (offsets aligned to minStorageBufferOffsetAlignment), so every binding
 * stays within maxStorageBufferBindingSize and every dispatch within the workgroup grid. A row
 * that does not fit one binding is split into segments instead (rows-plan.ts).
 */

/** One axis of a row layout. */
export interface RowDim {
  readonly size: number;
  readonly inStride: number;
  readonly outStride: number;
}

/** Most axes a row kernel takes in each of its two groups (after collapsing). */
export const ROWS_MAX_RANK = 8;

/** Threads per workgroup for every row kernel. */
export const ROWS_WG = 256;

/**
 * Drops size-1 axes and merges neighbours whose input and output strides nest exactly (the
 * outer stride is the inner stride times the inner size), which keeps the index arithmetic
 * short: a contiguous row collapses to one axis of stride 1.
 */
export function collapseDims(dims: readonly RowDim[]): RowDim[] {
  const out: RowDim[] = [];
  for (const d of dims) {
    if (d.size === 1) continue;
    const prev = out[out.length - 1];
    if (
      prev &&
      d.size !== 0 &&
      prev.inStride === d.inStride * d.size &&
      prev.outStride === d.outStride * d.size
    ) {
      out[out.length - 1] = {
        size: prev.size * d.size,
        inStride: d.inStride,
        outStride: d.outStride,
      };
    } else {
      out.push(d);
    }
  }
  return out;
}

const prod = (dims: readonly RowDim[]) => dims.reduce((n, d) => n * d.size, 1);

/** A row layout: kept axes (rows) and reduced axes (elements of a row), both collapsed. */
export interface RowLayout {
  readonly kept: readonly RowDim[];
  readonly red: readonly RowDim[];
  /** Number of rows (product of the kept sizes). */
  readonly rows: number;
  /** Elements per row (product of the reduced sizes). */
  readonly len: number;
  /** Element offset of element 0 in the input. */
  readonly inOffset: number;
  /** Element offset of element 0 in the output. */
  readonly outOffset: number;
}

export function rowLayout(
  fn: string,
  kept: readonly RowDim[],
  red: readonly RowDim[],
  inOffset: number,
  outOffset: number,
): RowLayout {
  const k = collapseDims(kept);
  const r = collapseDims(red);
  if (k.length > ROWS_MAX_RANK || r.length > ROWS_MAX_RANK) {
    throw new NnkitError(
      fn,
      `the webgpu backend handles at most ${ROWS_MAX_RANK} non-mergeable axes per group; this layout needs ${Math.max(k.length, r.length)} (make the input contiguous first)`,
    );
  }
  const rows = prod(k);
  const len = prod(r);
  if (rows > 2 ** 32 - 1 || len > 2 ** 32 - 2 * ROWS_WG) {
    throw new NnkitError(fn, `the webgpu backend indexes at most 2^32 elements per kernel`);
  }
  return { kept: k, red: r, rows, len, inOffset, outOffset };
}

/** Contiguous row-major strides of `sizes`. */
export function rowMajorStrides(sizes: readonly number[]): number[] {
  const s = new Array<number>(sizes.length).fill(1);
  for (let i = sizes.length - 2; i >= 0; i--)
    s[i] = (s[i + 1] as number) * (sizes[i + 1] as number);
  return s;
}

/** Lowest and highest element offsets (relative) reached by a box of indices [lo[d], hi[d]]. */
export function boxSpan(
  dims: readonly RowDim[],
  lo: readonly number[],
  hi: readonly number[],
  pick: (d: RowDim) => number,
): [number, number] {
  let min = 0;
  let max = 0;
  dims.forEach((d, i) => {
    const s = pick(d);
    const a = (lo[i] as number) * s;
    const b = (hi[i] as number) * s;
    min += Math.min(a, b);
    max += Math.max(a, b);
  });
  return [min, max];
}

/** Row-major multi-index of `row` over `dims`. */
export function decode(dims: readonly RowDim[], row: number): number[] {
  const idx = new Array<number>(dims.length).fill(0);
  let r = row;
  for (let i = dims.length - 1; i >= 0; i--) {
    const n = (dims[i] as RowDim).size;
    idx[i] = r % n;
    r = Math.floor(r / n);
  }
  return idx;
}

/**
 * Input and output element ranges (inclusive) touched by rows [r0, r1): a box over the kept axes
 * containing those rows (exact for whole blocks, slightly larger otherwise) times every element.
 */
function chunkSpans(
  layout: RowLayout,
  r0: number,
  r1: number,
): { input: [number, number]; output: [number, number] } {
  const a = decode(layout.kept, r0);
  const b = decode(layout.kept, r1 - 1);
  const lo = a.slice();
  const hi = a.slice();
  let differ = false;
  layout.kept.forEach((d, i) => {
    if (differ) {
      lo[i] = 0;
      hi[i] = d.size - 1;
    } else if (a[i] !== b[i]) {
      differ = true;
      hi[i] = b[i] as number;
    }
  });
  const full = layout.red.map((d) => d.size - 1);
  const zeros = layout.red.map(() => 0);
  const span = (pick: (d: RowDim) => number, base: number): [number, number] => {
    const [k0, k1] = boxSpan(layout.kept, lo, hi, pick);
    const [e0, e1] = layout.len === 0 ? [0, 0] : boxSpan(layout.red, zeros, full, pick);
    return [base + k0 + e0, base + k1 + e1];
  };
  return {
    input: span((d) => d.inStride, layout.inOffset),
    output: span((d) => d.outStride, layout.outOffset),
  };
}

/** A binding of part of a buffer and the element index (within it) of the buffer's element 0. */
export interface RangeBinding {
  readonly resource: GPUBufferBinding;
  /** Subtract from buffer element indices to index the binding. */
  readonly firstElement: number;
}

/** The aligned byte range of a binding of elements [lo, hi] (inclusive) of a buffer. */
export interface ByteRange {
  readonly offset: number;
  readonly size: number;
  /** Subtract from buffer element indices to index the binding. */
  readonly firstElement: number;
}

/**
 * The binding of elements [lo, hi] (inclusive) of a buffer of `bufferSize` bytes, `bytes` per
 * element, starting at an offset aligned to minStorageBufferOffsetAlignment; undefined when
 * that range exceeds maxStorageBufferBindingSize.
 */
export function byteRange(
  ctx: GpuContext,
  bufferSize: number,
  bytes: number,
  lo: number,
  hi: number,
): ByteRange | undefined {
  const align = ctx.limits.minStorageBufferOffsetAlignment;
  const max = Math.floor(ctx.limits.maxStorageBufferBindingSize / 4) * 4;
  const start = Math.floor((lo * bytes) / align) * align;
  const end = Math.min(bufferSize, Math.ceil(((hi + 1) * bytes) / 4) * 4);
  const size = Math.max(4, end - start);
  if (size > max || start + size > bufferSize) return undefined;
  return { offset: start, size, firstElement: start / bytes };
}

/** Binds elements [lo, hi] (inclusive) of `buffer` (see byteRange). */
export function bindRange(
  ctx: GpuContext,
  buffer: GPUBuffer,
  bytes: number,
  lo: number,
  hi: number,
): RangeBinding | undefined {
  const r = byteRange(ctx, buffer.size, bytes, lo, hi);
  return (
    r && { resource: { buffer, offset: r.offset, size: r.size }, firstElement: r.firstElement }
  );
}

/** One dispatch's worth of rows and the bindings it reads and writes. */
export interface RowChunk {
  readonly rowStart: number;
  readonly rows: number;
  readonly input: RangeBinding;
  readonly output: RangeBinding;
}

/**
 * Splits `layout`'s rows into chunks that each fit the binding limit and the dispatch grid.
 * `rowsPerGroup` is 1 when a workgroup reduces one row, ROWS_WG when each thread takes a row.
 * Undefined when a single row does not fit one binding (the caller then splits rows into
 * segments, see rows-plan.ts).
 */
export function planRowChunks(
  ctx: GpuContext,
  layout: RowLayout,
  input: { readonly buffer: GPUBuffer; readonly bytes: number },
  output: { readonly buffer: GPUBuffer; readonly bytes: number },
  rowsPerGroup: number,
): RowChunk[] | undefined {
  const maxGroups = ctx.limits.maxComputeWorkgroupsPerDimension ** 2;
  const cap = Math.min(maxGroups * rowsPerGroup, 2 ** 31);
  const chunks: RowChunk[] = [];
  let r0 = 0;
  while (r0 < layout.rows) {
    let n = Math.min(layout.rows - r0, cap);
    for (;;) {
      const spans = chunkSpans(layout, r0, r0 + n);
      const inB =
        layout.len === 0
          ? bindRange(ctx, input.buffer, input.bytes, 0, 0)
          : bindRange(ctx, input.buffer, input.bytes, spans.input[0], spans.input[1]);
      const outB = bindRange(ctx, output.buffer, output.bytes, spans.output[0], spans.output[1]);
      if (inB && outB) {
        chunks.push({ rowStart: r0, rows: n, input: inB, output: outB });
        break;
      }
      if (n === 1) return undefined;
      n = Math.ceil(n / 2);
    }
    r0 += n;
  }
  return chunks;
}

/** Words of the row-kernel uniform block (RowsU below): the header, then six arrays of 8. */
export const HEADER_WORDS = 12;
const ARRAY_WORDS = 8;

/**
 * The uniform block of one chunk: header (rows, row_start, len, in_base, out_base, up to six
 * kernel-specific words x0..x5, and the bits of 1.0f for `rows_one()`), then sizes and in/out strides of the kept and reduced axes.
 * Strides are stored modulo 2^32, so negative strides work through u32 wrap-around.
 */
export function rowUniform(
  layout: RowLayout,
  chunk: RowChunk,
  extra: readonly number[] = [],
): Uint32Array {
  return packRowUniform(
    layout,
    chunk.rows,
    chunk.rowStart,
    layout.inOffset - chunk.input.firstElement,
    layout.outOffset - chunk.output.firstElement,
    extra,
  );
}

/** rowUniform with every header word given. */
export function packRowUniform(
  layout: RowLayout,
  rows: number,
  rowStart: number,
  inBase: number,
  outBase: number,
  extra: readonly number[] = [],
): Uint32Array {
  const w = new Uint32Array(HEADER_WORDS + 6 * ARRAY_WORDS);
  w[0] = rows;
  w[1] = rowStart;
  w[2] = layout.len;
  w[3] = inBase >>> 0;
  w[4] = outBase >>> 0;
  extra.slice(0, 6).forEach((v, i) => {
    w[5 + i] = v >>> 0;
  });
  w[11] = 0x3f800000; // 1.0f, opaque to the shader compiler (nk_one_ in math/core.ts)
  const put = (group: number, dims: readonly RowDim[], pick: (d: RowDim) => number) => {
    dims.forEach((d, i) => {
      w[HEADER_WORDS + group * ARRAY_WORDS + i] = pick(d) >>> 0;
    });
  };
  put(0, layout.kept, (d) => d.size);
  put(1, layout.kept, (d) => d.inStride);
  put(2, layout.kept, (d) => d.outStride);
  put(3, layout.red, (d) => d.size);
  put(4, layout.red, (d) => d.inStride);
  put(5, layout.red, (d) => d.outStride);
  return w;
}

/**
 * WGSL for the uniform block (binding 0) and two index helpers unrolled for the given ranks:
 * `rows_row(row)` gives (input, output) offsets of a row's element 0 (bases included), and
 * `rows_elem(j)` the (input, output) offsets of element j within a row. Also `rows_group(wid,
 * nwg)`, the linear workgroup index on ctx.dispatch's 2-D grid.
 */
export function rowIndexWgsl(keptRank: number, redRank: number): string {
  const unroll = (rank: number, s: string, i: string, o: string, v: string) => {
    const lines: string[] = [];
    for (let d = rank - 1; d >= 0; d--) {
      const at = `[${d >> 2}][${d & 3}]`;
      if (d === 0) {
        lines.push(`  i += ${v} * u.${i}${at}; o += ${v} * u.${o}${at};`);
      } else {
        lines.push(
          `  { let n = u.${s}${at}; let c = ${v} % n; ${v} = ${v} / n; i += c * u.${i}${at}; o += c * u.${o}${at}; }`,
        );
      }
    }
    return lines.join("\n");
  };
  return /* wgsl */ `
struct RowsU {
  rows: u32, row_start: u32, len: u32, in_base: u32,
  out_base: u32, x0: u32, x1: u32, x2: u32, x3: u32, x4: u32, x5: u32, one: u32,
  ks: array<vec4<u32>, 2>, ki: array<vec4<u32>, 2>, ko: array<vec4<u32>, 2>,
  rs: array<vec4<u32>, 2>, ri: array<vec4<u32>, 2>, ro: array<vec4<u32>, 2>,
}
@group(0) @binding(0) var<uniform> u: RowsU;
// the run-time 1.0 that row kernels store in the math library's nk_one_ (see math/core.ts)
fn rows_one() -> f32 { return bitcast<f32>(u.one); }
fn rows_group(wid: vec3<u32>, nwg: vec3<u32>) -> u32 { return wid.y * nwg.x + wid.x; }
fn rows_row(row: u32) -> vec2<u32> {
  var r = row;
  var i = u.in_base;
  var o = u.out_base;
${unroll(keptRank, "ks", "ki", "ko", "r")}
  return vec2<u32>(i, o);
}
fn rows_elem(j: u32) -> vec2<u32> {
  var e = j;
  var i = 0u;
  var o = 0u;
${unroll(redRank, "rs", "ri", "ro", "e")}
  return vec2<u32>(i, o);
}
`;
}

/** Encodes one dispatch per chunk (inside an enqueued step): uniforms, input, output. */
export function dispatchRowChunks(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  layout: RowLayout,
  chunks: readonly RowChunk[],
  rowsPerGroup: number,
  extra: readonly number[] = [],
): void {
  for (const chunk of chunks) {
    const uniform = ctx.uniform(rowUniform(layout, chunk, extra));
    ctx.dispatch(
      pipeline,
      [{ buffer: uniform }, chunk.input.resource, chunk.output.resource],
      Math.ceil(chunk.rows / rowsPerGroup),
    );
  }
}
