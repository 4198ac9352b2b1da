import { describeFloat } from "./describe.js";
import type { FloatFormat } from "./formats.js";
import { ulpDistance } from "./ulp.js";

/** One element to check: what was computed from what, the exact answer, and the result. */
export interface UlpCheck {
  /** The call that produced the element, e.g. `exp(x=88.72 [0x42b17218])`. */
  readonly label: string;
  readonly expected: number;
  readonly got: number;
}

/**
 * What a result may differ by: at most `maxUlp` ulps, or, when `relativeTolerance` is set,
 * |got − exact| ≤ relativeTolerance · max(1, |exact|). NaN equals only NaN and an infinity
 * only the same infinity: neither is ever "close" to a finite value, whatever the tolerance.
 */
export interface UlpBound {
  readonly maxUlp: number;
  /** e.g. 2^-22 for WebGPU (float32 results only; the CPU has none and keeps its 1-ulp bound). */
  readonly relativeTolerance?: number | undefined;
}

/** A plain number is a bound in ulps with no tolerance. */
export function toUlpBound(bound: number | UlpBound): UlpBound {
  return typeof bound === "number" ? { maxUlp: bound } : bound;
}

/** e.g. "4 ulp" or "4 ulp or 2^-22·max(1, |exact|)". */
export function describeUlpBound(bound: number | UlpBound): string {
  const b = toUlpBound(bound);
  const tol = b.relativeTolerance;
  if (tol === undefined || !(tol > 0)) return `${b.maxUlp} ulp`;
  const log = Math.log2(tol);
  const text = Number.isInteger(log) ? `2^${log}` : String(tol);
  return `${b.maxUlp} ulp or ${text}·max(1, |exact|)`;
}

/**
 * |got − expected| / max(1, |expected|) for finite values; 0 when both are the same NaN or
 * infinity; Infinity for any other mismatch involving NaN or an infinity.
 */
export function scaledError(expected: number, got: number): number {
  if (Number.isNaN(expected) || Number.isNaN(got)) {
    return Number.isNaN(expected) && Number.isNaN(got) ? 0 : Number.POSITIVE_INFINITY;
  }
  if (!Number.isFinite(expected) || !Number.isFinite(got)) {
    return expected === got ? 0 : Number.POSITIVE_INFINITY;
  }
  return Math.abs(got - expected) / Math.max(1, Math.abs(expected));
}

/**
 * Whether `got` is acceptable for `expected` under `bound` in `format`: within `maxUlp` ulps, or
 * (finite values only) within the relative tolerance. Returns the distance in ulps as well.
 */
export function withinBound(
  format: FloatFormat,
  expected: number,
  got: number,
  bound: number | UlpBound,
): { ok: boolean; ulps: number; scaled: number } {
  const b = toUlpBound(bound);
  const ulps = ulpDistance(format, expected, got);
  const scaled = scaledError(expected, got);
  if (ulps <= b.maxUlp) return { ok: true, ulps, scaled };
  const tol = b.relativeTolerance;
  const ok = tol !== undefined && tol > 0 && Number.isFinite(scaled) && scaled <= tol;
  return { ok, ulps, scaled };
}

export interface UlpReport {
  readonly checked: number;
  /** Largest error seen, in ulps of the format (Infinity for NaN/inf mismatches). */
  readonly maxUlp: number;
  /** Largest |got − exact| / max(1, |exact|) (Infinity for NaN/inf mismatches). */
  readonly maxScaledError: number;
  /** Elements over `maxUlp` ulps that passed only through the relative tolerance. */
  readonly tolerated: number;
  /** One line per element over the bound, worst first (at most `limit`, then a count). */
  readonly failures: readonly string[];
}

/**
 * Measures every check in ulps of `format` and lists those outside `bound` (a number of ulps,
 * or ulps plus a relative tolerance: see `UlpBound`). `maxUlp` is the measured error whether or
 * not the tolerance accepted it, so accuracy tables stay truthful.
 */
export function ulpReport(
  format: FloatFormat,
  checks: Iterable<UlpCheck>,
  bound: number | UlpBound,
  limit = 12,
): UlpReport {
  let checked = 0;
  let maxUlp = 0;
  let maxScaledError = 0;
  let tolerated = 0;
  const max = toUlpBound(bound).maxUlp;
  const text = describeUlpBound(bound);
  const bad: { ulps: number; line: string }[] = [];
  for (const c of checks) {
    checked++;
    const { ok, ulps, scaled } = withinBound(format, c.expected, c.got, bound);
    if (ulps > maxUlp) maxUlp = ulps;
    if (scaled > maxScaledError) maxScaledError = scaled;
    if (ok && ulps > max) tolerated++;
    if (!ok) {
      bad.push({
        ulps,
        line: `${c.label}: expected ${describeFloat(format, c.expected)}, got ${describeFloat(format, c.got)} (${ulps} ulp, outside ${text})`,
      });
    }
  }
  bad.sort((a, b) => b.ulps - a.ulps);
  const failures = bad.slice(0, limit).map((b) => b.line);
  if (bad.length > limit) failures.push(`... and ${bad.length - limit} more outside ${text}`);
  return { checked, maxUlp, maxScaledError, tolerated, failures };
}
