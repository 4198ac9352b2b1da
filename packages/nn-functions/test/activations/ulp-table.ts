import { afterAll } from "vitest";
import type { UlpReport } from "./compare.js";

interface Entry {
  maxUlp: number;
  /** Largest ulp error where the exact result is not subnormal. */
  maxUlpNormal: number;
  points: number;
  /** Largest |got − exact| / max(1, |exact|), when recorded (float32). */
  maxScaledError: number | undefined;
}

/**
 * The largest error measured per activation (and per input dtype) on one backend, printed once
 * after the activation suites so a run's log shows the measured accuracy, not just "passed".
 * float32 rows also show the largest |error| / max(1, |exact|), the measure of the relative
 * tolerance (WebGPU must stay within 2^-22 ≈ 2.4e-7).
 */
export class UlpTable {
  private readonly rows = new Map<string, Entry>();

  constructor(private readonly backend: string) {}

  /** Adds one comparison's report; float32 reports also count towards maxRelErr. */
  record(name: string, dtype: string, report: UlpReport): void {
    const key = dtype === "float32" ? name : `${name} (${dtype})`;
    const e = this.rows.get(key) ?? {
      maxUlp: 0,
      maxUlpNormal: 0,
      points: 0,
      maxScaledError: undefined,
    };
    e.maxUlp = Math.max(e.maxUlp, report.maxUlp);
    e.maxUlpNormal = Math.max(e.maxUlpNormal, report.maxUlpNormal);
    e.points += report.points;
    if (dtype === "float32") {
      e.maxScaledError = Math.max(e.maxScaledError ?? 0, report.maxScaledError);
    }
    this.rows.set(key, e);
  }

  format(): string {
    const keys = [...this.rows.keys()].sort((a, b) => {
      const half = (k: string) => (k.includes("(") ? 1 : 0);
      return half(a) - half(b) || a.localeCompare(b);
    });
    return keys
      .map((k) => {
        const e = this.rows.get(k) as Entry;
        const scaled =
          e.maxScaledError === undefined ? "" : ` maxRelErr=${e.maxScaledError.toExponential(2)}`;
        // Shown only where they differ: subnormal results flushed to zero (allowed in WGSL).
        const normal = e.maxUlpNormal === e.maxUlp ? "" : ` maxUlpNormalResults=${e.maxUlpNormal}`;
        return `activation max-ulp table (${this.backend}): name=${k} maxUlp=${e.maxUlp}${normal} points=${e.points}${scaled}`;
      })
      .join("\n");
  }

  /** Prints the table once, after the suites that filled it (if any test filled it). */
  printAfterAll(): void {
    afterAll(() => {
      if (this.rows.size > 0) console.log(this.format());
    });
  }
}
