import type { Storage } from "../graph/storage.js";
import { contiguousStrides, type Shape } from "../shape/shape.js";

/**
 * Strides for viewing `storage` (of `from` shape) as `to` shape without copying, or undefined
 * when the elements are not laid out compatibly (then the caller copies first).
 */
export function reshapeStrides(storage: Storage, from: Shape, to: Shape): number[] | undefined {
  // Drop size-1 axes: their strides never matter.
  const dims: number[] = [];
  const strides: number[] = [];
  from.forEach((d, i) => {
    if (d !== 1) {
      dims.push(d);
      strides.push(storage.strides[i] as number);
    }
  });
  // Merge axes that are contiguous with each other into chunks of (size, innermost stride).
  const chunks: { size: number; stride: number }[] = [];
  for (let i = 0; i < dims.length; i++) {
    const last = chunks[chunks.length - 1];
    const d = dims[i] as number;
    const s = strides[i] as number;
    if (last && last.stride === s * d) {
      last.size *= d;
      last.stride = s;
    } else {
      chunks.push({ size: d, stride: s });
    }
  }
  // Walk the target shape, carving each chunk row-major.
  const out = new Array<number>(to.length).fill(0);
  let c = 0;
  let remaining = chunks[0]?.size ?? 1;
  for (let i = 0; i < to.length; i++) {
    const d = to[i] as number;
    if (d === 1) continue;
    const chunk = chunks[c];
    if (!chunk || remaining % d !== 0) return undefined;
    remaining /= d;
    out[i] = chunk.stride * remaining;
    if (remaining === 1) {
      c++;
      remaining = chunks[c]?.size ?? 1;
    }
  }
  return out;
}

export function transposeStorage(storage: Storage, perm: readonly number[]): Storage {
  return {
    ref: storage.ref.retain(),
    offset: storage.offset,
    strides: perm.map((p) => storage.strides[p] as number),
  };
}

export function sliceStorage(storage: Storage, starts: readonly number[]): Storage {
  const offset = starts.reduce((o, s, i) => o + s * (storage.strides[i] as number), storage.offset);
  return { ref: storage.ref.retain(), offset, strides: storage.strides };
}

export function contiguousView(storage: Storage, shape: Shape): Storage {
  return { ref: storage.ref.retain(), offset: storage.offset, strides: contiguousStrides(shape) };
}
