/** How close a peer's values are to nnkit's (the reference: float64 inside, rounded once). */
export interface Agreement {
  /**
   * Largest |peer − nnkit| / |nnkit| over elements where |nnkit| ≥ REL_FLOOR (below it, float32
   * cancellation in 1 + tanh(…) or exp(x) − 1 makes relative differences meaningless).
   */
  readonly maxRelErr: number;
  readonly maxAbsErr: number;
  /** Every element within relTol·|nnkit| + absTol, NaN only where nnkit has NaN. */
  readonly agrees: boolean;
  /** The worst element: index, nnkit's value, the peer's value. */
  readonly worst: { readonly index: number; readonly nnkit: number; readonly peer: number };
}

/**
 * Loose on purpose: it is there to catch a peer computing a different function (gelu's tanh
 * approximation differs from the erf form by ~1e-3), not to rank accuracy. 1e-5 relative
 * would flag jax-js wasm's softplus and logSigmoid (2.4e-5 off near ln 2, its own exp/log);
 * the report lists every difference above ACCURACY_NOTE instead.
 */
export const TOLERANCE = { rel: 1e-4, abs: 1e-6 } as const;

/** Relative differences above this are listed in the report's agreement section. */
export const ACCURACY_NOTE = 1e-5;

/** Relative differences are reported where |nnkit| is at least this. */
export const REL_FLOOR = 1e-3;

export function compare(
  nnkit: ArrayLike<number>,
  peer: ArrayLike<number>,
  tol: { rel: number; abs: number } = TOLERANCE,
): Agreement {
  if (nnkit.length !== peer.length) {
    return {
      maxRelErr: Number.POSITIVE_INFINITY,
      maxAbsErr: Number.POSITIVE_INFINITY,
      agrees: false,
      worst: { index: -1, nnkit: nnkit.length, peer: peer.length },
    };
  }
  let maxRel = 0;
  let maxAbs = 0;
  let agrees = true;
  let worst = { index: -1, nnkit: 0, peer: 0 };
  let worstExcess = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nnkit.length; i++) {
    const a = nnkit[i] as number;
    const b = peer[i] as number;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) {
        agrees = false;
        worst = { index: i, nnkit: a, peer: b };
        worstExcess = Number.POSITIVE_INFINITY;
      }
      continue;
    }
    const d = Math.abs(a - b);
    if (d > maxAbs) maxAbs = d;
    if (Math.abs(a) >= REL_FLOOR) maxRel = Math.max(maxRel, d / Math.abs(a));
    const excess = d - (tol.rel * Math.abs(a) + tol.abs);
    if (excess > 0) agrees = false;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = { index: i, nnkit: a, peer: b };
    }
  }
  return { maxRelErr: maxRel, maxAbsErr: maxAbs, agrees, worst };
}
