import { Array as MxArray } from "@nnkit/core";
import { isPlainObject } from "./tree.js";

/** A value's kind for error messages, in the words MLX's messages use for Python types. */
export function typeName(value: unknown): string {
  if (value instanceof MxArray) return "Array";
  if (Array.isArray(value)) return "list";
  if (isPlainObject(value)) return "object";
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

/** A shape as Python prints a tuple, as MLX's messages show shapes: `()`, `(4,)`, `(2, 3)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** A value as it appears in a module's `toString()` and in option errors. */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (isPlainObject(value)) return "object";
  return String(value);
}
