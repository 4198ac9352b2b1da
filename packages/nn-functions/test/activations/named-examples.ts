import { FLOAT32, float32Bound, itWithDtypes, type SuiteOptions } from "@nnkit/conformance";
import { array, type DType } from "@nnkit/core";
import { describe, expect } from "vitest";
import { type ActivationInfo, activation } from "../../src/index.js";
import { expectWithinUlp, formatOf, show, values } from "./compare.js";

/**
 * The accuracy examples the issue names, one test each. Expected values are the exact results
 * (mpmath, scripts/fixtures/gen_activations.py) rounded once to the output type; every
 * decimal below is that float32 (or half) value written exactly.
 */

const INF = Number.POSITIVE_INFINITY;

function get(name: string): ActivationInfo {
  const a = activation(name);
  if (!a) throw new Error(`${name} is not in ACTIVATIONS`);
  return a;
}

interface Example {
  readonly fn: string;
  readonly params?: Readonly<Record<string, number>>;
  readonly x: readonly number[];
  /** Shape of x when it is not a vector (rows for the normalisers). */
  readonly shape?: readonly number[];
  readonly y: readonly number[];
  readonly dtype?: DType;
  /** The values must not be zero (the point of the tail examples). */
  readonly nonZero?: boolean;
  readonly title: string;
}

const F32_EXAMPLES: readonly Example[] = [
  {
    title: "gelu(-10) is about -7.6e-23, not 0",
    fn: "gelu",
    x: [-10],
    y: [-7.619852977043458e-23],
    nonZero: true,
  },
  {
    title: "gelu(-13) keeps its tail value near the bottom of the normal range",
    fn: "gelu",
    x: [-13],
    y: [-7.952313854143535e-38],
    nonZero: true,
  },
  {
    title: "geluApprox(-10) keeps its tail (1 + tanh computed without cancellation)",
    fn: "geluApprox",
    x: [-10],
    y: [-1.2040923861938598e-37],
    nonZero: true,
  },
  {
    title: "elu(-3e-24) is -3e-24, not 0",
    fn: "elu",
    x: [-3e-24],
    y: [-2.999999960016831e-24],
    nonZero: true,
  },
  {
    title: "celu(-3e-24, alpha 1.1) is -3e-24, not 0",
    fn: "celu",
    params: { alpha: 1.1 },
    x: [-3e-24],
    y: [-2.999999960016831e-24],
    nonZero: true,
  },
  {
    title: "selu(-3e-24) is 1.0507·1.67326·(-3e-24), not 0",
    fn: "selu",
    x: [-3e-24],
    y: [-5.274282597110161e-24],
    nonZero: true,
  },
  {
    title: "softplus(-100) keeps full precision (a subnormal)",
    fn: "softplus",
    x: [-100],
    y: [3.783505853677006e-44],
    nonZero: true,
  },
  {
    title: "logSigmoid(100) keeps full precision (a subnormal)",
    fn: "logSigmoid",
    x: [100],
    y: [-3.783505853677006e-44],
    nonZero: true,
  },
  {
    title: "silu(-100) keeps full precision",
    fn: "silu",
    x: [-100],
    y: [-3.7204474227823893e-42],
    nonZero: true,
  },
  {
    title: "mish(-100) keeps full precision",
    fn: "mish",
    x: [-100],
    y: [-3.7204474227823893e-42],
    nonZero: true,
  },
  {
    title: "sigmoid(-100) keeps full precision",
    fn: "sigmoid",
    x: [-100],
    y: [3.783505853677006e-44],
    nonZero: true,
  },
  {
    title: "softmax of a row 100 apart keeps the small entry",
    fn: "softmax",
    x: [0, -100],
    y: [1, 3.783505853677006e-44],
  },
  {
    title: "softmax of entries 100 apart",
    fn: "softmax",
    x: [100, 0, -100],
    y: [1, 3.783505853677006e-44, 0],
  },
  {
    title: "softmin of entries 100 apart",
    fn: "softmin",
    x: [0, 100],
    y: [1, 3.783505853677006e-44],
  },
  {
    title: "softmax of a row of -1e36 ties is 1/2 each",
    fn: "softmax",
    x: [-1e36, -1e36],
    y: [0.5, 0.5],
  },
  {
    title: "softmax of a row of 1e36 ties is 1/3 each",
    fn: "softmax",
    x: [1e36, 1e36, 1e36],
    y: [0.3333333432674408, 0.3333333432674408, 0.3333333432674408],
  },
  {
    title: "softmax of neighbouring values near 1e36 (2^96 apart)",
    fn: "softmax",
    x: [1e36, 1.0000000409184788e36],
    y: [0, 1],
  },
  {
    title: "logSoftmax of a row of 1e36 ties is log(1/2)",
    fn: "logSoftmax",
    x: [1e36, 1e36],
    y: [-0.6931471824645996, -0.6931471824645996],
  },
  {
    title: "logSoftmax of the dominant entry keeps its tiny negative value (entries 100 apart)",
    fn: "logSoftmax",
    x: [0, -100],
    y: [-3.783505853677006e-44, -100],
    nonZero: true,
  },
  {
    title: "logSoftmax of the dominant entry keeps its tiny negative value (entries 20 apart)",
    fn: "logSoftmax",
    x: [20, 0],
    y: [-2.06115369216775e-9, -20],
    nonZero: true,
  },
  { title: "selu(3.4e38) overflows to +inf", fn: "selu", x: [3.4e38], y: [INF] },
  {
    title: "relu2(±2e19): +inf, and 0 on the negative side",
    fn: "relu2",
    x: [2e19, -2e19],
    y: [INF, 0],
  },
  {
    title: "leakyRelu(3e38, slope 1.5) overflows to +inf",
    fn: "leakyRelu",
    params: { negativeSlope: 1.5 },
    x: [3e38, -3e38],
    y: [INF, -3.0000000054977558e38],
  },
  {
    title: "prelu(-3e38, alpha 2) is -inf",
    fn: "prelu",
    params: { alpha: 2 },
    x: [-3e38],
    y: [-INF],
  },
  {
    title: "prelu(-3e38, alpha -2) is +inf",
    fn: "prelu",
    params: { alpha: -2 },
    x: [-3e38],
    y: [INF],
  },
  {
    title: "hardswish(3.4e38) is 3.4e38 although x·6 exceeds float32",
    fn: "hardswish",
    x: [3.4e38],
    y: [3.3999999521443642e38],
  },
];

const HALF_EXAMPLES: readonly Example[] = [
  {
    title: "bfloat16 selu(100) is 105 (105.07 rounded once), not 104.5 from a bfloat16 constant",
    fn: "selu",
    dtype: "bfloat16",
    x: [100],
    y: [105],
  },
  {
    title: "float16 hardswish(60000) is 60000 (x·6 would overflow float16)",
    fn: "hardswish",
    dtype: "float16",
    x: [60000],
    y: [60000],
  },
  {
    title: "float16 relu2(300) overflows to +inf",
    fn: "relu2",
    dtype: "float16",
    x: [300],
    y: [INF],
  },
  {
    title: "float16 sigmoid(-8) is 0.000335, not 0",
    fn: "sigmoid",
    dtype: "float16",
    x: [-8],
    y: [0.00033545494079589844],
    nonZero: true,
  },
  {
    title: "bfloat16 geluFastApprox(3) is exact rounded once",
    fn: "geluFastApprox",
    dtype: "bfloat16",
    x: [3],
    y: [2.984375],
  },
  {
    title: "bfloat16 softplus(1) is exact rounded once",
    fn: "softplus",
    dtype: "bfloat16",
    x: [1],
    y: [1.3125],
  },
];

export function defineNamedExampleSuite(options: SuiteOptions): void {
  const maxUlp = options.maxUlpFloat32 ?? 1;

  describe("the issue's named accuracy examples", () => {
    for (const ex of [...F32_EXAMPLES, ...HALF_EXAMPLES]) {
      const dtype = ex.dtype ?? "float32";
      itWithDtypes(options, [dtype], ex.title, async () => {
        const a = get(ex.fn);
        const x = array(ex.x, dtype).reshape(ex.shape ?? [ex.x.length]);
        const y = a.apply(x, ex.params ?? {});
        expect(y.dtype).toBe(dtype);
        const got = await values(y);
        const format = formatOf(dtype);
        // half results are held to 1 ulp of their own type (computed higher, rounded once)
        const tol = format === FLOAT32 ? float32Bound(options, maxUlp) : 1;
        expectWithinUlp(`${ex.fn}(${ex.x.map(show).join(", ")})`, format, ex.x, ex.y, got, tol);
        if (ex.nonZero) {
          got.forEach((g, i) => {
            const y = ex.y[i] as number;
            // WGSL may flush f32 subnormals to zero; normal results must never flush.
            const mayFlush = options.subnormalsMayFlush === true && Math.abs(y) < 2 ** -126;
            if (y !== 0 && !mayFlush) expect(g, `element ${i} must not flush to 0`).not.toBe(0);
          });
        }
      });
    }
  });
}
