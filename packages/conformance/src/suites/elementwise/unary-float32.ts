import { describe, it } from "vitest";
import { float32Bound, type SuiteOptions } from "../../context.js";
import { fixtureRegions } from "../../reference/fixture.js";
import { FLOAT32 } from "../../reference/formats.js";
import { nextUp, roundToFormat } from "../../reference/round.js";
import { callLabel, type Exact, expectExact, expectUlp, floatArray, read } from "./check.js";
import { binadeSweep, F32_MAX, F32_TINY, INF, randomBitPatterns, specials } from "./inputs.js";
import { FIXTURE_UNARY, UNARY_FNS, type UnaryName } from "./ops.js";

const NAN = Number.NaN;
const f32 = (v: number) => roundToFormat(FLOAT32, v);

/**
 * Unary ops whose float64 value is exact (or, for square and sqrt, rounds to float32 without
 * double-rounding error: float64 has more than 2·24 + 2 bits), so the reference is the float64
 * result rounded once. `bitExact` ops do no rounding at all and must match to the bit.
 */
const FLOAT64_EXACT: readonly { op: UnaryName; ref: (x: number) => number; bitExact: boolean }[] = [
  { op: "negative", ref: (x) => -x, bitExact: true },
  { op: "abs", ref: Math.abs, bitExact: true },
  { op: "sign", ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), bitExact: true },
  { op: "square", ref: (x) => f32(x * x), bitExact: false },
  { op: "sqrt", ref: (x) => f32(Math.sqrt(x)), bitExact: false },
];

// biome-ignore format: a table of cases
/**
 * Special values of every float-valued unary op, from IEEE 754 / C99 Annex F and MLX.
 * A zero must have the sign shown unless written "±0".
 */
export const FLOAT32_UNARY_SPECIALS: Readonly<Record<string, readonly (readonly [number, Exact])[]>> = {
  negative: [[NAN, NAN], [INF, -INF], [-INF, INF], [0, -0], [-0, 0], [F32_TINY, -F32_TINY], [-F32_MAX, F32_MAX]],
  abs: [[NAN, NAN], [INF, INF], [-INF, INF], [0, 0], [-0, 0], [-F32_TINY, F32_TINY], [-F32_MAX, F32_MAX]],
  // MLX: sign(NaN) = 0 and sign(-0) = 0 (the sign of that zero is not specified).
  sign: [[NAN, "±0"], [0, "±0"], [-0, "±0"], [INF, 1], [-INF, -1], [F32_TINY, 1], [-F32_TINY, -1], [F32_MAX, 1], [-2.5, -1]],
  square: [
    [NAN, NAN], [INF, INF], [-INF, INF], [0, 0], [-0, 0], [-F32_TINY, 0], [2 ** 64, INF], [-(2 ** 64), INF],
    [2 ** -75, 0], // 2^-150 is half the smallest subnormal: ties to even, +0
    [3 * 2 ** -76, F32_TINY], // 1.125 · 2^-149 rounds down to the smallest subnormal
    [5 * 2 ** -77, F32_TINY], // 0.78 · 2^-149 rounds up to it
    [2 ** -74, 2 * F32_TINY],
    [-3, 9],
  ],
  sqrt: [
    [NAN, NAN], [INF, INF], [-INF, NAN], [-1, NAN], [-F32_TINY, NAN], [0, 0], [-0, -0],
    [F32_TINY, f32(Math.SQRT2 * 2 ** -75)], [4, 2], [2 ** -148, 2 ** -74],
  ],
  exp: [[NAN, NAN], [INF, INF], [-INF, 0], [0, 1], [-0, 1], [F32_TINY, 1], [-F32_TINY, 1], [89, INF], [-104, 0], [F32_MAX, INF], [-F32_MAX, 0]],
  expm1: [[NAN, NAN], [INF, INF], [-INF, -1], [0, 0], [-0, -0], [F32_TINY, F32_TINY], [-F32_TINY, -F32_TINY], [-F32_MAX, -1], [F32_MAX, INF]],
  log: [[NAN, NAN], [INF, INF], [-INF, NAN], [0, -INF], [-0, -INF], [1, 0], [-1, NAN], [-F32_TINY, NAN]],
  log1p: [[NAN, NAN], [INF, INF], [-INF, NAN], [-1, -INF], [-2, NAN], [nextUp(FLOAT32, -2), NAN], [0, 0], [-0, -0], [F32_TINY, F32_TINY], [-F32_TINY, -F32_TINY]],
  tanh: [[NAN, NAN], [INF, 1], [-INF, -1], [0, 0], [-0, -0], [F32_TINY, F32_TINY], [-F32_TINY, -F32_TINY], [F32_MAX, 1], [-F32_MAX, -1]],
  erf: [[NAN, NAN], [INF, 1], [-INF, -1], [0, 0], [-0, -0], [F32_TINY, F32_TINY], [-F32_TINY, -F32_TINY], [F32_MAX, 1], [-F32_MAX, -1]],
  erfc: [[NAN, NAN], [INF, 0], [-INF, 2], [0, 1], [-0, 1], [F32_TINY, 1], [F32_MAX, 0], [-F32_MAX, 2]],
  // erfinv(±1) = ±inf; |y| > 1 has no real inverse.
  erfinv: [
    [NAN, NAN], [1, INF], [-1, -INF], [0, 0], [-0, -0], [F32_TINY, F32_TINY], [-F32_TINY, -F32_TINY],
    [INF, NAN], [-INF, NAN], [nextUp(FLOAT32, 1), NAN], [-nextUp(FLOAT32, 1), NAN], [2, NAN], [-F32_MAX, NAN],
  ],
  // MLX: sigmoid(±inf) = 1 / 0 and sigmoid(0) = 0.5 exactly.
  sigmoid: [[NAN, NAN], [INF, 1], [-INF, 0], [0, 0.5], [-0, 0.5], [F32_TINY, 0.5], [-F32_TINY, 0.5], [F32_MAX, 1], [-F32_MAX, 0]],
};

export function defineUnaryFloat32Suite(options: SuiteOptions): void {
  const bound = options.maxUlpFloat32 ?? 1;
  // float32 results may also pass through the backend's relative tolerance (WebGPU)
  const tolerant = float32Bound(options);

  describe("unary ops on float32", () => {
    const sweep = [
      ...binadeSweep(FLOAT32, 4, 101),
      ...randomBitPatterns(FLOAT32, 2000, 102),
      ...specials(FLOAT32),
    ];

    for (const { op, ref, bitExact } of FLOAT64_EXACT) {
      it(`${op}: every binade and random bit patterns, against float64 (${bitExact ? "bit-exact" : `≤ ${bound} ulp`})`, async () => {
        const got = await read(UNARY_FNS[op](floatArray("float32", sweep)), "float32");
        expectUlp(
          `${op} float32`,
          FLOAT32,
          sweep.map((x, i) => ({
            label: callLabel(op, "float32", [x]),
            expected: ref(x),
            got: got[i] as number,
          })),
          bitExact ? 0 : tolerant,
        );
      });
    }

    for (const op of FIXTURE_UNARY) {
      it(`${op}: within ${bound} ulp of the exact value (mpmath fixture, every region)`, async () => {
        const cases = fixtureRegions("float32", "unary", op).flatMap((r) =>
          r.cases.map((c) => ({ region: r.region, x: c.args[0] as number, expected: c.expected })),
        );
        const got = await read(
          UNARY_FNS[op](
            floatArray(
              "float32",
              cases.map((c) => c.x),
            ),
          ),
          "float32",
        );
        expectUlp(
          `${op} float32`,
          FLOAT32,
          cases.map((c, i) => ({
            label: `${callLabel(op, "float32", [c.x])} [${c.region}]`,
            expected: c.expected,
            got: got[i] as number,
          })),
          tolerant,
        );
      });
    }

    for (const [op, table] of Object.entries(FLOAT32_UNARY_SPECIALS)) {
      it(`${op}: NaN, ±inf, ±0, subnormals and limits`, async () => {
        const xs = table.map(([x]) => x);
        const got = await read(UNARY_FNS[op as UnaryName](floatArray("float32", xs)), "float32");
        expectExact(
          `${op} special values`,
          "float32",
          table.map(([x, expected], i) => ({
            label: callLabel(op, "float32", [x]),
            expected,
            got: got[i] as number,
          })),
        );
      });
    }
  });
}
