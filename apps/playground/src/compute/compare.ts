import type { PlotResult } from "./series.js";
import { ulpDistance } from "./ulp.js";

/** How far one device's values for a function are from another's. */
export interface SeriesComparison {
  readonly name: string;
  /** Largest |a − b| over the grid (infinite where only one side is NaN). */
  readonly maxAbsDiff: number;
  readonly maxUlp: number;
  /** The x where |a − b| is largest. */
  readonly atX: number | undefined;
  readonly points: number;
  readonly error?: string;
}

/** Compares every function present in both results, point by point. */
export function compareResults(a: PlotResult, b: PlotResult): SeriesComparison[] {
  return a.series.map((sa) => {
    const sb = b.series.find((s) => s.name === sa.name);
    const error = sa.error ?? sb?.error ?? (sb ? undefined : `not computed on ${b.device}`);
    if (error !== undefined || !sb) {
      return {
        name: sa.name,
        maxAbsDiff: Number.NaN,
        maxUlp: Number.NaN,
        atX: undefined,
        points: 0,
        error,
      };
    }
    let maxAbsDiff = 0;
    let maxUlp = 0;
    let atX: number | undefined;
    const n = Math.min(sa.y.length, sb.y.length);
    for (let i = 0; i < n; i++) {
      const va = sa.y[i] as number;
      const vb = sb.y[i] as number;
      const same = va === vb || (Number.isNaN(va) && Number.isNaN(vb));
      const d = same ? 0 : Math.abs(va - vb);
      if (Number.isNaN(d) || d > maxAbsDiff) {
        maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
        atX = a.x[i];
      }
      maxUlp = Math.max(maxUlp, ulpDistance(va, vb));
    }
    return { name: sa.name, maxAbsDiff, maxUlp, atX, points: n };
  });
}
