/**
 * Printing of arrays in exactly the format of MLX's Python `repr(mx.array(...))`.
 *
 * Behaviour reproduced (own implementation, written from these sources):
 * - ml-explore/mlx `mlx/utils.cpp` (`print_array`, `print_subarray`,
 *   `PrintFormatter::print`) and `mlx/utils.h` (`PrintOptions{precision = -1}`,
 *   float16/bfloat16 printed via `static_cast<float>`),
 * - ml-explore/mlx `python/src/array.cpp` (`__repr__` streams the array into a
 *   fresh `std::ostringstream`; `init_array` sets `capitalize_bool = true`),
 * - ml-explore/mlx `python/src/print.cpp` (`set_printoptions(precision=...)`).
 *
 * Rules:
 * - `array(` + body + `, dtype=<name>)`; a 0-d array's body is the bare element.
 * - Each dimension prints `[` items `]`. Items of the last dimension are
 *   separated by `, `; items of other dimensions by `,\n` followed by
 *   `7 + dim` spaces (aligning under the previous `[`).
 * - Per dimension independently: when its size n > 6, only the first 3 and the
 *   last 3 items are printed with a `...` item in between.
 * - Floats (float32/float16/bfloat16) use printf `%.6g` (ostream default),
 *   `nan`, `inf`, `-inf`, `-0`; with a precision option p >= 0, `%.{p}f`.
 * - Bools print `True`/`False` (Python); C++ `operator<<` prints `true`/`false`.
 */
import { formatFixed, formatGeneral } from "./decimal.js";
import { roundToBfloat16, roundToFloat16, roundToFloat32 } from "./round.js";

export type PrintDType = "float32" | "float16" | "bfloat16" | "int32" | "uint32" | "bool";

export interface FormatOptions {
  /**
   * Digits after the decimal point for floating-point elements (MLX
   * `mx.set_printoptions(precision=...)`, printed as `std::fixed`).
   * `-1` (the default) means the ostream default: 6 significant digits, `%g` style.
   */
  precision?: number;
  /**
   * `true` (default) prints `True`/`False` like MLX's Python binding;
   * `false` prints `true`/`false` like MLX's C++ `operator<<`.
   */
  capitalizeBool?: boolean;
}

/** Items kept at each edge of a dimension when it is summarised. */
const EDGE_ITEMS = 3;
/** Width of `array(`, plus one per nesting level for the `[` characters. */
const BASE_INDENT = 7;

/** Format a single element the way MLX's `PrintFormatter` does. */
export function formatElement(
  value: number | boolean,
  dtype: PrintDType,
  options: FormatOptions = {},
): string {
  switch (dtype) {
    case "bool": {
      const b = typeof value === "boolean" ? value : value !== 0; // NaN is truthy, as in C++
      if (options.capitalizeBool ?? true) return b ? "True" : "False";
      return b ? "true" : "false";
    }
    case "int32":
      return String(Number(value) | 0);
    case "uint32":
      return String(Number(value) >>> 0);
    case "float32":
      return formatFloat(roundToFloat32(Number(value)), options.precision);
    case "float16":
      return formatFloat(roundToFloat16(Number(value)), options.precision);
    case "bfloat16":
      return formatFloat(roundToBfloat16(Number(value)), options.precision);
    default: {
      const unknown: never = dtype;
      throw new TypeError(`formatElement: unsupported dtype ${String(unknown)}`);
    }
  }
}

function formatFloat(x: number, precision: number | undefined): string {
  if (precision === undefined || precision < 0) return formatGeneral(x, 6);
  return formatFixed(x, precision);
}

/**
 * Render an array like MLX's Python `repr`/`print`.
 *
 * @param values row-major elements, already decoded to JS numbers (bools as 0/1 or booleans)
 * @param shape `[]` for a scalar
 */
export function formatArray(
  values: ArrayLike<number | boolean>,
  shape: readonly number[],
  dtype: PrintDType,
  options: FormatOptions = {},
): string {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`formatArray: invalid shape [${shape.join(", ")}]`);
    }
    size *= d;
  }
  if (values.length < size) {
    throw new RangeError(
      `formatArray: shape [${shape.join(", ")}] needs ${size} values, got ${values.length}`,
    );
  }

  const element = (i: number): string => {
    const v = values[i];
    if (v === undefined) throw new RangeError(`formatArray: missing value at ${i}`);
    return formatElement(v, dtype, options);
  };

  let body: string;
  if (shape.length === 0) {
    body = element(0);
  } else {
    // row-major strides
    const strides = new Array<number>(shape.length);
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= shape[d] ?? 0;
    }
    const parts: string[] = [];
    const visit = (dim: number, offset: number): void => {
      const n = shape[dim] ?? 0;
      const s = strides[dim] ?? 0;
      const isLast = dim === shape.length - 1;
      const separator = isLast ? ", " : `,\n${" ".repeat(BASE_INDENT + dim)}`;
      const summarise = n > 2 * EDGE_ITEMS;
      parts.push("[");
      for (let i = 0; i < n; i++) {
        if (i > 0) parts.push(separator);
        if (summarise && i === EDGE_ITEMS) {
          parts.push("...");
          i = n - EDGE_ITEMS - 1; // loop increment moves to the first trailing item
        } else if (isLast) {
          parts.push(element(offset + i * s));
        } else {
          visit(dim + 1, offset + i * s);
        }
      }
      parts.push("]");
    };
    visit(0, 0);
    body = parts.join("");
  }
  return `array(${body}, dtype=${dtype})`;
}
