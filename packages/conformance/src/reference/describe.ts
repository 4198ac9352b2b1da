import type { FloatFormat } from "./formats.js";
import { bitWidth } from "./formats.js";
import { encodeBits, isRepresentable } from "./round.js";

/**
 * A value as a failure message should show it: shortest decimal that round-trips, `-0` for
 * negative zero, and the bit pattern in `format` when the value belongs to it.
 */
export function describeFloat(format: FloatFormat, x: number): string {
  const text = Object.is(x, -0) ? "-0" : String(x);
  if (!isRepresentable(format, x)) return `${text} (not a ${format.name})`;
  const hex = encodeBits(format, x)
    .toString(16)
    .padStart(bitWidth(format) / 4, "0");
  return `${text} [0x${hex}]`;
}
