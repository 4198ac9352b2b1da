import { array } from "@nnkit/core";
import { describe, it } from "vitest";
import { float32Bound, type SuiteOptions } from "../../context.js";
import { fixtureRegions } from "../../reference/fixture.js";
import { FLOAT32 } from "../../reference/formats.js";
import { nextUp, roundToFormat } from "../../reference/round.js";
import { callLabel, type Exact, expectExact, expectUlp, floatArray, read } from "./check.js";
import {
  allPairs,
  F32_MAX,
  F32_TINY,
  INF,
  randomBitPatterns,
  randomMagnitudes,
  specials,
  zip,
} from "./inputs.js";
import { BINARY_FNS, type BinaryName, FIXTURE_BINARY } from "./ops.js";

const NAN = Number.NaN;
const f32 = (v: number) => roundToFormat(FLOAT32, v);

/**
 * Binary ops whose float64 result rounds once to the correctly rounded float32 (float64 carries
 * more than 2·24 + 2 bits, so rounding twice is innocuous for + - × ÷; float32 sums and products
 * are even exact in float64 except for sums of wildly different magnitudes). maximum/minimum do
 * no rounding and must match to the bit (NaN propagates from either side).
 */
const FLOAT64_EXACT: readonly {
  op: BinaryName;
  ref: (a: number, b: number) => number;
  bitExact: boolean;
}[] = [
  { op: "add", ref: (a, b) => f32(a + b), bitExact: false },
  { op: "subtract", ref: (a, b) => f32(a - b), bitExact: false },
  { op: "multiply", ref: (a, b) => f32(a * b), bitExact: false },
  { op: "divide", ref: (a, b) => f32(a / b), bitExact: false },
  // Math.max/min propagate NaN from either side, as MLX's maximum/minimum must.
  { op: "maximum", ref: Math.max, bitExact: true },
  { op: "minimum", ref: Math.min, bitExact: true },
];

/** Pairs that exercise rounding: ties, cancellation, subnormal and overflowing results. */
function roundingPairs(): [number, number][] {
  const pairs: [number, number][] = [
    ...zip(randomBitPatterns(FLOAT32, 1500, 201), randomBitPatterns(FLOAT32, 1500, 202)),
    ...zip(
      randomMagnitudes(FLOAT32, 1500, -30, 30, 203),
      randomMagnitudes(FLOAT32, 1500, -30, 30, 204),
    ),
    ...zip(
      randomMagnitudes(FLOAT32, 400, -149, -115, 205),
      randomMagnitudes(FLOAT32, 400, -149, -115, 206),
    ),
    ...zip(
      randomMagnitudes(FLOAT32, 300, -80, -60, 207),
      randomMagnitudes(FLOAT32, 300, -80, -60, 208),
    ),
    ...zip(
      randomMagnitudes(FLOAT32, 300, 110, 127, 209),
      randomMagnitudes(FLOAT32, 300, 0, 20, 210),
    ),
    // ties to even
    [1, 2 ** -24],
    [1 + 2 ** -23, 2 ** -24],
    [1, -(2 ** -25)],
    [F32_MAX, 2 ** 103],
    [F32_MAX, 2 ** 102],
    [3 * F32_TINY, 2],
    [5 * F32_TINY, 2],
    [F32_TINY, 2],
    [-F32_TINY, 2],
    [3 * F32_TINY, 0.5],
    [1 + 2 ** -12, 1 + 2 ** -12],
    [1 + 2 ** -23, 1 + 2 ** -23],
    // cancellation
    [1, -nextUp(FLOAT32, 1)],
    [F32_MAX, -F32_MAX],
    [F32_TINY, -F32_TINY],
    [2.5, 2.5],
    [-3, -3],
    [1, 3],
    [2, 3],
    [10, 3],
    [1, 10],
    [F32_MAX, 0.5],
    [F32_TINY, F32_MAX],
    [F32_MAX, F32_TINY],
  ];
  for (const x of randomMagnitudes(FLOAT32, 200, -126, 126, 211)) {
    pairs.push([x, -nextUp(FLOAT32, x)], [x, -x], [x, x]);
  }
  return pairs;
}

// biome-ignore format: a table of cases
/** C99 pow special cases (Annex F.9.4.4), which MLX's float power follows. */
const POWER_SPECIALS: readonly (readonly [number, number, Exact])[] = [
  ...[NAN, INF, -INF, 0, -0, -3, 2.5, F32_TINY].flatMap((x) => [[x, 0, 1] as const, [x, -0, 1] as const]),
  ...[NAN, INF, -INF, 2.5, -7, 0].map((y) => [1, y, 1] as const),
  [-1, INF, 1], [-1, -INF, 1],
  [NAN, 1, NAN], [NAN, -2, NAN], [2, NAN, NAN], [-1, NAN, NAN], [0, NAN, NAN],
  [-2, 0.5, NAN], [-8, f32(1 / 3), NAN], [-F32_TINY, 0.5, NAN],
  [0, -3, INF], [-0, -3, -INF], [0, -2, INF], [-0, -2, INF], [0, -2.5, INF], [-0, -2.5, INF],
  [0, -INF, INF], [-0, -INF, INF],
  [0, 3, 0], [-0, 3, -0], [0, 2, 0], [-0, 2, 0], [-0, 2.5, 0], [0, INF, 0], [-0, INF, 0],
  [0.5, -INF, INF], [-0.5, -INF, INF], [2, -INF, 0], [-2, -INF, 0],
  [0.5, INF, 0], [-0.5, INF, 0], [2, INF, INF], [-2, INF, INF],
  [-INF, -3, -0], [-INF, -2, 0], [-INF, -2.5, 0], [-INF, 3, -INF], [-INF, 2, INF], [-INF, 2.5, INF],
  [INF, -1, 0], [INF, -0.5, 0], [INF, 0.5, INF], [INF, 3, INF],
  [2, 128, INF], [2, -150, 0], [-2, 127, -(2 ** 127)], [-2, 128, INF], [-2, 129, -INF], [-2, -3, -0.125],
  [F32_TINY, 0.5, f32(Math.SQRT2 * 2 ** -75)], [F32_MAX, 2, INF], [F32_TINY, 2, 0], [-F32_TINY, 3, -0],
];

// biome-ignore format: a table of cases
/** MLX's logaddexp: NaN propagates; with an infinite operand the result is the larger one. */
const LOGADDEXP_SPECIALS: readonly (readonly [number, number, Exact])[] = [
  [-INF, -INF, -INF], [INF, INF, INF], [-INF, INF, INF], [INF, -INF, INF],
  [INF, 3, INF], [3, INF, INF], [-INF, 3, 3], [3, -INF, 3], [INF, -F32_MAX, INF],
  [-INF, F32_TINY, F32_TINY], [-F32_TINY, -INF, -F32_TINY], [-INF, F32_MAX, F32_MAX], [-F32_MAX, -INF, -F32_MAX],
  [-INF, -0, "±0"], [0, -INF, "±0"],
  [NAN, 1, NAN], [1, NAN, NAN], [NAN, INF, NAN], [INF, NAN, NAN], [-INF, NAN, NAN], [NAN, -INF, NAN], [NAN, NAN, NAN],
  [0, 0, f32(Math.LN2)], [-0, 0, f32(Math.LN2)], [F32_MAX, F32_MAX, F32_MAX], [-F32_MAX, -F32_MAX, -F32_MAX],
  [F32_MAX, -F32_MAX, F32_MAX], [200, 0, 200], [-200, 0, f32(Math.exp(-200))],
];

export function defineBinaryFloat32Suite(options: SuiteOptions): void {
  const bound = options.maxUlpFloat32 ?? 1;
  // float32 results may also pass through the backend's relative tolerance (WebGPU)
  const tolerant = float32Bound(options);

  describe("binary ops on float32", () => {
    const pairs = roundingPairs();
    const specialPairs = allPairs(specials(FLOAT32), specials(FLOAT32));

    for (const { op, ref, bitExact } of FLOAT64_EXACT) {
      const b = bitExact ? 0 : bound;
      const check = bitExact ? 0 : tolerant;
      it(`${op}: random bit patterns, ties, cancellation, subnormal and overflowing results (${b} ulp)`, async () => {
        const x = floatArray(
          "float32",
          pairs.map((p) => p[0]),
        );
        const y = floatArray(
          "float32",
          pairs.map((p) => p[1]),
        );
        const got = await read(BINARY_FNS[op](x, y), "float32");
        expectUlp(
          `${op} float32`,
          FLOAT32,
          pairs.map(([a, c], i) => ({
            label: callLabel(op, "float32", [a, c]),
            expected: ref(a, c),
            got: got[i] as number,
          })),
          check,
        );
      });

      it(`${op}: every pair of special values (IEEE signs of zero${bitExact ? ", either zero from two zeros" : ""})`, async () => {
        const x = floatArray(
          "float32",
          specialPairs.map((p) => p[0]),
        );
        const y = floatArray(
          "float32",
          specialPairs.map((p) => p[1]),
        );
        const got = await read(BINARY_FNS[op](x, y), "float32");
        expectExact(
          `${op} special values`,
          "float32",
          specialPairs.map(([a, c], i) => {
            const e = ref(a, c);
            // maximum(-0, 0) may give either zero: MLX does not specify it.
            const expected: Exact = bitExact && e === 0 && a === 0 && c === 0 ? "±0" : e;
            return { label: callLabel(op, "float32", [a, c]), expected, got: got[i] as number };
          }),
        );
      });

      it(`${op}: with a broadcast 0-d array and a number on either side`, async () => {
        const xs = randomMagnitudes(FLOAT32, 64, -10, 10, 212);
        const checks = [];
        for (const s of [3, 0.375, -0, 2 ** -140, INF, NAN]) {
          const asArray = floatArray("float32", [s]).reshape([]);
          const results = [
            [true, await read(BINARY_FNS[op](floatArray("float32", xs), asArray), "float32")],
            [false, await read(BINARY_FNS[op](asArray, floatArray("float32", xs)), "float32")],
            [true, await read(BINARY_FNS[op](floatArray("float32", xs), s), "float32")],
            [false, await read(BINARY_FNS[op](s, floatArray("float32", xs)), "float32")],
          ] as const;
          for (const [scalarRight, got] of results) {
            for (const [i, x] of xs.entries()) {
              const [a, c] = scalarRight ? [x, s] : [s, x];
              checks.push({
                label: callLabel(op, "float32", [a, c]),
                expected: ref(a, c),
                got: got[i] as number,
              });
            }
          }
        }
        expectUlp(`${op} float32 with scalars`, FLOAT32, checks, check);
      });
    }

    for (const op of FIXTURE_BINARY) {
      it(`${op}: within ${bound} ulp of the exact value (mpmath fixture, every region)`, async () => {
        const cases = fixtureRegions("float32", "binary", op).flatMap((r) =>
          r.cases.map((c) => ({
            region: r.region,
            a: c.args[0] as number,
            b: c.args[1] as number,
            expected: c.expected,
          })),
        );
        const x = floatArray(
          "float32",
          cases.map((c) => c.a),
        );
        const y = floatArray(
          "float32",
          cases.map((c) => c.b),
        );
        const got = await read(BINARY_FNS[op](x, y), "float32");
        expectUlp(
          `${op} float32`,
          FLOAT32,
          cases.map((c, i) => ({
            label: `${callLabel(op, "float32", [c.a, c.b])} [${c.region}]`,
            expected: c.expected,
            got: got[i] as number,
          })),
          tolerant,
        );
      });
    }

    const tables = { power: POWER_SPECIALS, logaddexp: LOGADDEXP_SPECIALS } as const;
    for (const [op, table] of Object.entries(tables)) {
      it(`${op}: special values`, async () => {
        const x = floatArray(
          "float32",
          table.map((t) => t[0]),
        );
        const y = floatArray(
          "float32",
          table.map((t) => t[1]),
        );
        const got = await read(BINARY_FNS[op as BinaryName](x, y), "float32");
        expectExact(
          `${op} special values`,
          "float32",
          table.map(([a, c, expected], i) => ({
            label: callLabel(op, "float32", [a, c]),
            expected,
            got: got[i] as number,
          })),
        );
      });
    }

    it("power with an integer-valued float exponent array broadcasts like any other", async () => {
      const base = array(Float32Array.from([2, -2, 0.5, 10]));
      const exps = array(Float32Array.from([3])).reshape([]);
      const got = await read(BINARY_FNS.power(base, exps), "float32");
      expectExact(
        "power broadcast",
        "float32",
        [2, -2, 0.5, 10].map((a, i) => ({
          label: callLabel("power", "float32", [a, 3]),
          expected: f32(a ** 3),
          got: got[i] as number,
        })),
      );
    });
  });
}
