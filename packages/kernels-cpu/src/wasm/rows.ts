import type { StorageArray } from "@nnkit/core";
import type { InputLayout, KernelArgs } from "../elementwise/prepare.js";

/**
 * Strided inputs whose rows are contiguous (glu's halves, slices along the last axis): the
 * output is split into rows of its last dimension, and a SIMD kernel compiled for contiguous
 * inputs runs once per row, each input read from its own row start: all rows in one call of
 * the module's row loop (kernel-frame.ts) when the data is in the heap, else `runRows`. Rows of the leading
 * dimensions must be evenly spaced in every input (their strides collapse to one row stride),
 * and a row must be whole vectors (a multiple of 4 elements), so no row writes past its end.
 */
export interface RowSplit {
  readonly rows: number;
  readonly cols: number;
  /** Per input: elements from one row's start to the next (0 for a broadcast constant). */
  readonly rowStrides: readonly number[];
  /** The layouts the per-row kernel is compiled for: every strided input becomes contiguous. */
  readonly layouts: readonly InputLayout[];
}

/** The row stride of an input over the leading dimensions, or undefined if they do not collapse. */
function rowStride(strides: readonly number[], shape: readonly number[]): number | undefined {
  const nd = shape.length;
  let stride: number | undefined;
  let span = 1; // elements one step of the current dimension covers, in rows
  for (let d = nd - 2; d >= 0; d--) {
    const size = shape[d] as number;
    if (size > 1) {
      const s = strides[d] as number;
      if (stride === undefined) stride = s;
      else if (s !== stride * span) return undefined;
    }
    span *= size;
  }
  return stride ?? 0;
}

export function splitRows(
  layouts: readonly InputLayout[],
  strides: readonly (readonly number[])[],
  shape: readonly number[],
): RowSplit | undefined {
  const nd = shape.length;
  if (nd < 2 || !layouts.includes("strided")) return undefined;
  const cols = shape[nd - 1] as number;
  // Rows of whole vectors: a kernel's padding lanes never reach past its row.
  if (cols % 4 !== 0) return undefined;
  const rows = shape.slice(0, -1).reduce((n, d) => n * d, 1);
  const rowStrides: number[] = [];
  for (const [i, layout] of layouts.entries()) {
    const s = strides[i] as readonly number[];
    if (layout === "constant") rowStrides.push(0);
    else if (layout === "contiguous") rowStrides.push(cols);
    else {
      if (cols > 1 && s[nd - 1] !== 1) return undefined;
      const r = rowStride(s, shape);
      if (r === undefined) return undefined;
      rowStrides.push(r);
    }
  }
  const rowLayouts = layouts.map((l): InputLayout => (l === "strided" ? "contiguous" : l));
  return { rows, cols, rowStrides, layouts: rowLayouts };
}

/** Runs `kernel` once per row. */
export function runRows(
  split: RowSplit,
  args: KernelArgs,
  kernel: (rowArgs: KernelArgs) => unknown,
): void {
  const { rows, cols, rowStrides } = split;
  const offsets = [...args.offsets];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < offsets.length; i++) {
      offsets[i] = (args.offsets[i] as number) + r * (rowStrides[i] as number);
    }
    const out: StorageArray = args.out.subarray(r * cols, (r + 1) * cols);
    kernel({ ...args, out, offsets });
  }
}
