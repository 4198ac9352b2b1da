import type { DType } from "@nnkit/core";

/** The safetensors dtype code of each nnkit dtype. */
export const SAFETENSORS_DTYPE: Readonly<Record<DType, string>> = {
  float32: "F32",
  float16: "F16",
  bfloat16: "BF16",
  int32: "I32",
  uint32: "U32",
  bool: "BOOL",
};

const FROM_CODE: ReadonlyMap<string, DType> = new Map(
  Object.entries(SAFETENSORS_DTYPE).map(([dtype, code]) => [code, dtype as DType]),
);

/**
 * Codes the format defines that nnkit has no dtype for; listed so that a file using one gets
 * "unsupported" rather than "unknown".
 */
const OTHER_CODES: ReadonlySet<string> = new Set([
  "F64",
  "I64",
  "U64",
  "I16",
  "U16",
  "I8",
  "U8",
  "C64",
  "F8_E4M3",
  "F8_E5M2",
  "F8_E8M0",
  "F6_E2M3",
  "F6_E3M2",
  "F4",
]);

/** The nnkit dtype for a safetensors code, or why there is none. */
export function dtypeOfCode(code: string): DType | "unsupported" | "unknown" {
  return FROM_CODE.get(code) ?? (OTHER_CODES.has(code) ? "unsupported" : "unknown");
}

/** The codes nnkit reads and writes, for error messages. */
export const SUPPORTED_CODES: readonly string[] = [...FROM_CODE.keys()];
