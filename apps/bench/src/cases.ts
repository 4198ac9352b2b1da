import { ACTIVATIONS, type ActivationInfo } from "@nnkit/nn-functions";

/** Row length for the functions that work along an axis (softmax family, glu). */
export const ROW = 1024;

/** prelu has no default alpha in MLX; the bench uses MLX's PReLU init, one shared weight. */
export const PRELU_ALPHA = 0.25;

/** One activation as the bench runs it: its catalog entry and the parameters it is given. */
export interface BenchCase {
  /** nnkit's name. */
  readonly name: string;
  readonly mlxName: string;
  readonly info: ActivationInfo;
  /** Works along the last axis: the input is (n / ROW) rows of ROW elements. */
  readonly rowwise: boolean;
  /**
   * Every parameter after x with the value used: MLX's defaults, and PRELU_ALPHA for prelu's
   * weight (an array of one element on every contestant).
   */
  readonly params: Readonly<Record<string, number>>;
}

function toCase(info: ActivationInfo): BenchCase {
  const params: Record<string, number> = {};
  for (const p of info.params) params[p.name] = p.default ?? PRELU_ALPHA;
  return {
    name: info.name,
    mlxName: info.mlxName,
    info,
    rowwise: info.params.some((p) => p.kind === "axis"),
    params,
  };
}

/** The bench's cases, read from nn-functions' catalog (the only list of the 27). */
export const CASES: readonly BenchCase[] = ACTIVATIONS.map(toCase);

/** Cases by nnkit or MLX name, in catalog order; every name must exist. */
export function selectCases(names?: readonly string[]): BenchCase[] {
  if (!names || names.length === 0) return [...CASES];
  const unknown = names.filter((n) => !CASES.some((c) => c.name === n || c.mlxName === n));
  if (unknown.length > 0) {
    throw new Error(
      `unknown function(s) ${unknown.join(", ")}; known: ${CASES.map((c) => c.name).join(", ")}`,
    );
  }
  return CASES.filter((c) => names.includes(c.name) || names.includes(c.mlxName));
}

export function inputShape(c: BenchCase, n: number): number[] {
  if (!c.rowwise) return [n];
  if (n % ROW !== 0) throw new Error(`${c.name}: size ${n} is not a whole number of ${ROW}-rows`);
  return [n / ROW, ROW];
}

/** glu halves the last axis; every other function keeps the shape. */
export function outputShape(c: BenchCase, n: number): number[] {
  const shape = inputShape(c, n);
  if (c.name === "glu") shape[shape.length - 1] = ROW / 2;
  return shape;
}

/** Input range: wide enough to reach every branch (relu6's 6, hardswish's ±3, shrink's ±0.5). */
export const INPUT_RANGE = [-6, 6] as const;

/**
 * The input of size n: the same float32 bytes for every contestant, from a fixed-seed
 * generator (xorshift32). Values are (k + 0.5)/2^24 across INPUT_RANGE, so none is exactly 0
 * (step's and tf.step's boundaries differ only there).
 */
export function makeInput(n: number, seed = 0x9e3779b9): Float32Array {
  const [lo, hi] = INPUT_RANGE;
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + (((s >>> 8) + 0.5) / 2 ** 24) * (hi - lo);
  }
  return out;
}
