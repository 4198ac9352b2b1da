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

export interface UlpReport {
  readonly checked: number;
  /** Largest error seen, in ulps of the format (Infinity for NaN/inf mismatches). */
  readonly maxUlp: number;
  /** One line per element over the bound, worst first (at most `limit`, then a count). */
  readonly failures: readonly string[];
}

/** Measures every check in ulps of `format` and lists those above `bound`. */
export function ulpReport(
  format: FloatFormat,
  checks: Iterable<UlpCheck>,
  bound: number,
  limit = 12,
): UlpReport {
  let checked = 0;
  let maxUlp = 0;
  const bad: { ulps: number; line: string }[] = [];
  for (const c of checks) {
    checked++;
    const ulps = ulpDistance(format, c.expected, c.got);
    if (ulps > maxUlp) maxUlp = ulps;
    if (ulps > bound) {
      bad.push({
        ulps,
        line: `${c.label}: expected ${describeFloat(format, c.expected)}, got ${describeFloat(format, c.got)} (${ulps} ulp > ${bound})`,
      });
    }
  }
  bad.sort((a, b) => b.ulps - a.ulps);
  const failures = bad.slice(0, limit).map((b) => b.line);
  if (bad.length > limit) failures.push(`... and ${bad.length - limit} more over ${bound} ulp`);
  return { checked, maxUlp, failures };
}
