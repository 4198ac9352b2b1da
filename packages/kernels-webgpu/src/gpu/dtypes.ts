import { allocateStorage, type DType, NnkitError, type StorageArray } from "@nnkit/core";

/** How each dtype is stored on the GPU: WGSL element type and bytes per element. */
export interface GpuStorageType {
  /** WGSL type of one stored element. */
  readonly wgsl: "f32" | "f16" | "i32" | "u32";
  readonly bytes: 2 | 4;
}

const TYPES: Partial<Record<DType, GpuStorageType>> = {
  float32: { wgsl: "f32", bytes: 4 },
  float16: { wgsl: "f16", bytes: 2 },
  int32: { wgsl: "i32", bytes: 4 },
  uint32: { wgsl: "u32", bytes: 4 },
  // WGSL storage has no 8-bit type; bools are stored as u32 0/1.
  bool: { wgsl: "u32", bytes: 4 },
};

/** The GPU storage of `dtype`, or a clear error for what this backend cannot hold. */
export function gpuStorage(fn: string, dtype: DType, hasF16: boolean): GpuStorageType {
  const t = TYPES[dtype];
  if (!t) {
    throw new NnkitError(
      fn,
      `the webgpu backend does not support ${dtype}; use float32 or float16, or the cpu backend`,
    );
  }
  if (dtype === "float16" && !hasF16) {
    throw new NnkitError(
      fn,
      'float16 on webgpu needs the device feature "shader-f16", which this adapter does not offer; use float32 or the cpu backend',
    );
  }
  return t;
}

/** Bytes to allocate for `size` elements: WebGPU buffer sizes must be multiples of 4. */
export function byteSize(t: GpuStorageType, size: number): number {
  return Math.max(4, Math.ceil((size * t.bytes) / 4) * 4);
}

/** Host storage → the bytes the GPU stores (bool widens to u32). */
export function toGpuBytes(dtype: DType, data: StorageArray): ArrayBufferView {
  if (dtype === "bool") return Uint32Array.from(data);
  return data;
}

/** GPU bytes → host storage of `dtype` with `size` elements. */
export function fromGpuBytes(dtype: DType, bytes: ArrayBuffer, size: number): StorageArray {
  const out = allocateStorage(dtype, size);
  if (dtype === "bool") {
    const src = new Uint32Array(bytes, 0, size);
    for (let i = 0; i < size; i++) out[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  const src = new (out.constructor as { new (b: ArrayBuffer, o: number, n: number): StorageArray })(
    bytes,
    0,
    size,
  );
  out.set(src as never);
  return out;
}
