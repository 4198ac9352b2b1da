/**
 * Every error nnkit raises on bad input is an `NnkitError` whose message starts with the
 * name of the public function that rejected it, so users can find the failing call.
 */
export class NnkitError extends Error {
  override readonly name = "NnkitError";
  /** The public function that raised the error, e.g. `"reshape"`. */
  readonly fn: string;

  constructor(fn: string, message: string) {
    super(`${fn}: ${message}`);
    this.fn = fn;
  }
}

/** Formats a value for an error message without dumping huge arrays. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return String(value);
}
