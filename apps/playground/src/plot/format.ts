/** A read-out value: 6 significant digits, "—" where there is none. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isNaN(v)) return "NaN";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(5);
}

/** A difference for the comparison table, in exponent form. */
export function formatDiff(v: number): string {
  if (Number.isNaN(v)) return "—";
  if (v === 0) return "0";
  return v.toExponential(2);
}
