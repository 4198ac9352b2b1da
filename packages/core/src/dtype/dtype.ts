import { describeValue, NnkitError } from "../errors.js";

/** The element types nnkit arrays can hold. */
export type DType = "float32" | "float16" | "bfloat16" | "int32" | "uint32" | "bool";

/** Every dtype, in a stable order (used for validation and docs). */
export const DTYPES: readonly DType[] = [
  "bool",
  "uint32",
  "int32",
  "float16",
  "bfloat16",
  "float32",
];

/** Host storage for each dtype. float16/bfloat16 are stored as raw IEEE bit patterns. */
export interface StorageArrayMap {
  float32: Float32Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  bool: Uint8Array;
}

export type StorageArray = StorageArrayMap[DType];

const ITEM_SIZE: Record<DType, number> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  uint32: 4,
  bool: 1,
};

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  return ITEM_SIZE[dtype];
}

export function isFloating(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float16" || dtype === "bfloat16";
}

export function isInteger(dtype: DType): boolean {
  return dtype === "int32" || dtype === "uint32";
}

export function isDType(value: unknown): value is DType {
  return typeof value === "string" && (DTYPES as readonly string[]).includes(value);
}

/** Validates a user-supplied dtype, naming the function and argument on failure. */
export function checkDType(fn: string, arg: string, value: unknown): DType {
  if (isDType(value)) return value;
  throw new NnkitError(
    fn,
    `${arg} must be one of ${DTYPES.join(", ")}; got ${describeValue(value)}`,
  );
}

/** Allocates zeroed host storage for `size` elements of `dtype`. */
export function allocateStorage<D extends DType>(dtype: D, size: number): StorageArrayMap[D];
export function allocateStorage(dtype: DType, size: number): StorageArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float16":
    case "bfloat16":
      return new Uint16Array(size);
    case "int32":
      return new Int32Array(size);
    case "uint32":
      return new Uint32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}
