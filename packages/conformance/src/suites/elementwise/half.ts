import { array, astype } from "@nnkit/core";
import { describe, expect } from "vitest";
import { itWithDtypes, type SuiteOptions } from "../../context.js";
import { fixtureRegions } from "../../reference/fixture.js";
import {
  bitWidth,
  FLOAT32,
  type FloatFormat,
  FORMATS,
  maxFinite,
  minSubnormal,
} from "../../reference/formats.js";
import { decodeBits, roundToFormat } from "../../reference/round.js";
import { callLabel, type Exact, expectExact, expectUlp, floatArray, read } from "./check.js";
import { allPairs, randomBitPatterns, randomMagnitudes, specials, zip } from "./inputs.js";
import {
  BINARY_FNS,
  type BinaryName,
  FIXTURE_BINARY,
  FIXTURE_UNARY,
  UNARY_FNS,
  type UnaryName,
} from "./ops.js";

/**
 * float16 and bfloat16: storage is the IEEE bit pattern (`data()` gives a Uint16Array), and an
 * op's result is its exact value rounded once to the half type.
 *
 * Bound: a backend that promises ≤ 1 float32 ulp (the CPU) computes in float64 and rounds
 * once, so half results must be exactly the correctly rounded value; a backend with a looser
 * float32 bound computes in float32 and rounds again, which may cost one half ulp.
 */
export function halfUlpBound(options: SuiteOptions): number {
  return (options.maxUlpFloat32 ?? 1) <= 1 ? 0 : 1;
}

const HALF = ["float16", "bfloat16"] as const;

const EXACT_BINARY: readonly { op: BinaryName; ref: (a: number, b: number) => number }[] = [
  { op: "add", ref: (a, b) => a + b },
  { op: "subtract", ref: (a, b) => a - b },
  { op: "multiply", ref: (a, b) => a * b },
  { op: "divide", ref: (a, b) => a / b },
  { op: "maximum", ref: Math.max }, // NaN from either side propagates
  { op: "minimum", ref: Math.min },
];

const EXACT_UNARY: readonly { op: UnaryName; ref: (x: number) => number }[] = [
  { op: "negative", ref: (x) => -x },
  { op: "abs", ref: Math.abs },
  { op: "sign", ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
  { op: "square", ref: (x) => x * x },
  { op: "sqrt", ref: Math.sqrt },
];

const isNaNBits = (f: FloatFormat, bits: number) => Number.isNaN(decodeBits(f, bits));

export function defineHalfSuite(options: SuiteOptions): void {
  const bound = halfUlpBound(options);

  for (const dtype of HALF) {
    const f = FORMATS[dtype];
    describe(`${dtype}`, () => {
      // A backend without this dtype must raise a clear error in each of these tests.
      const itHalf = (title: string, body: () => unknown) =>
        itWithDtypes(options, [dtype], title, body);
      itHalf(
        "every bit pattern survives array() → data(), and toFloat32() decodes it exactly",
        async () => {
          const n = 2 ** bitWidth(f);
          const values = Array.from({ length: n }, (_, b) => decodeBits(f, b));
          const x = array(values, dtype);
          const bits = await x.data();
          expect(bits.constructor.name).toBe("Uint16Array");
          const decoded = await x.toFloat32();
          const bad: string[] = [];
          for (let b = 0; b < n && bad.length < 10; b++) {
            const v = values[b] as number;
            const got = bits[b] as number;
            const ok = Number.isNaN(v) ? isNaNBits(f, got) : got === b;
            if (!ok) bad.push(`bits 0x${b.toString(16)} (${v}) stored as 0x${got.toString(16)}`);
            if (!Object.is(decoded[b], v))
              bad.push(`toFloat32 of 0x${b.toString(16)}: expected ${v}, got ${decoded[b]}`);
          }
          expect(bad).toEqual([]);
        },
      );

      itHalf(
        "array(values, dtype) rounds each float64 once, to nearest even (no detour through float32)",
        async () => {
          const p = f.precision;
          const xs = [
            1 + 2 ** -p + 2 ** -40, // above the midpoint only by a bit float32 would drop
            1 + 2 ** -p, // midpoint: ties to even (down)
            1 + 3 * 2 ** -p, // midpoint: ties to even (up)
            -(1 + 2 ** -p + 2 ** -40),
            maxFinite(f) + 2 ** (f.maxExponent - p) * 0.999, // just below the overflow midpoint
            maxFinite(f) + 2 ** (f.maxExponent - p), // overflow midpoint: rounds to inf
            minSubnormal(f) / 2, // ties to +0
            -minSubnormal(f) / 2, // ties to -0
            (minSubnormal(f) / 2) * (1 + 2 ** -30), // just above: the smallest subnormal
            minSubnormal(f) * 1.5, // ties to even: 2 × smallest
            Math.PI,
            -Math.E * 1000,
            1e-3,
            0.1,
            Number.NaN,
            -0,
            Number.NEGATIVE_INFINITY,
            1e300,
          ];
          const got = await read(array(xs, dtype), dtype);
          expectExact(
            `array(…, "${dtype}")`,
            dtype,
            xs.map((x, i) => ({
              label: `array([${x}])`,
              expected: roundToFormat(f, x),
              got: got[i] as number,
            })),
          );
        },
      );

      itHalf(
        "astype from float32 rounds once to nearest even; astype to float32 is exact",
        async () => {
          const xs = [
            ...randomBitPatterns(FLOAT32, 3000, 501),
            ...randomMagnitudes(
              FLOAT32,
              1000,
              f.minExponent - f.precision - 2,
              f.maxExponent + 1,
              502,
            ),
            ...specials(FLOAT32),
          ];
          const got = await read(astype(floatArray("float32", xs), dtype), dtype);
          expectExact(
            `astype float32 → ${dtype}`,
            dtype,
            xs.map((x, i) => ({
              label: callLabel("astype", "float32", [x]),
              expected: roundToFormat(f, x),
              got: got[i] as number,
            })),
          );
          const hs = randomBitPatterns(f, 2000, 503);
          const back = await read(astype(floatArray(dtype, hs), "float32"), "float32");
          expectExact(
            `astype ${dtype} → float32`,
            "float32",
            hs.map((x, i) => ({
              label: callLabel("astype", dtype, [x]),
              expected: x,
              got: back[i] as number,
            })),
          );
        },
      );

      const pairs: [number, number][] = [
        ...zip(randomBitPatterns(f, 1500, 511), randomBitPatterns(f, 1500, 512)),
        ...zip(randomMagnitudes(f, 1500, -6, 6, 513), randomMagnitudes(f, 1500, -6, 6, 514)),
        ...zip(
          randomMagnitudes(f, 300, f.maxExponent - 8, f.maxExponent, 515),
          randomMagnitudes(f, 300, 0, 8, 516),
        ),
      ];

      for (const { op, ref } of EXACT_BINARY) {
        itHalf(
          `${op}: random bit patterns and magnitudes, rounded once (${bound} ulp)`,
          async () => {
            const got = await read(
              BINARY_FNS[op](
                floatArray(
                  dtype,
                  pairs.map((p) => p[0]),
                ),
                floatArray(
                  dtype,
                  pairs.map((p) => p[1]),
                ),
              ),
              dtype,
            );
            expectUlp(
              `${op} ${dtype}`,
              f,
              pairs.map(([a, b], i) => ({
                label: callLabel(op, dtype, [a, b]),
                // float64 is exact for + - × of half values except for far-apart sums, where
                // rounding twice is innocuous (53 ≥ 2p + 2); likewise for ÷.
                expected: roundToFormat(f, ref(a, b)),
                got: got[i] as number,
              })),
              bound,
            );
          },
        );

        itHalf(`${op}: every pair of special values, overflow to inf, signs of zero`, async () => {
          const sp = allPairs(specials(f), specials(f));
          const got = await read(
            BINARY_FNS[op](
              floatArray(
                dtype,
                sp.map((p) => p[0]),
              ),
              floatArray(
                dtype,
                sp.map((p) => p[1]),
              ),
            ),
            dtype,
          );
          const minmax = op === "maximum" || op === "minimum";
          expectExact(
            `${op} ${dtype} special values`,
            dtype,
            sp.map(([a, b], i) => {
              const e = roundToFormat(f, ref(a, b));
              const expected: Exact = minmax && e === 0 && a === 0 && b === 0 ? "±0" : e;
              return { label: callLabel(op, dtype, [a, b]), expected, got: got[i] as number };
            }),
          );
        });
      }

      for (const { op, ref } of EXACT_UNARY) {
        itHalf(`${op}: every bit pattern, rounded once`, async () => {
          const xs = Array.from({ length: 2 ** bitWidth(f) }, (_, b) => decodeBits(f, b)).filter(
            (v) => !Number.isNaN(v),
          );
          const got = await read(UNARY_FNS[op](floatArray(dtype, xs)), dtype);
          expectExact(
            `${op} ${dtype}`,
            dtype,
            xs.map((x, i) => {
              const e = roundToFormat(f, ref(x));
              // sign(±0) may be either zero; the rest follow IEEE (sqrt(-0) = -0, -(-0) = 0)
              const expected: Exact = op === "sign" && e === 0 ? "±0" : e;
              return { label: callLabel(op, dtype, [x]), expected, got: got[i] as number };
            }),
          );
        });
      }

      for (const op of FIXTURE_UNARY) {
        itHalf(
          `${op}: within ${bound} ulp of the exact value rounded to ${dtype} (mpmath fixture)`,
          async () => {
            const cases = fixtureRegions(dtype, "unary", op).flatMap((r) =>
              r.cases.map((c) => ({
                region: r.region,
                x: c.args[0] as number,
                expected: c.expected,
              })),
            );
            const got = await read(
              UNARY_FNS[op](
                floatArray(
                  dtype,
                  cases.map((c) => c.x),
                ),
              ),
              dtype,
            );
            expectUlp(
              `${op} ${dtype}`,
              f,
              cases.map((c, i) => ({
                label: `${callLabel(op, dtype, [c.x])} [${c.region}]`,
                expected: c.expected,
                got: got[i] as number,
              })),
              bound,
            );
          },
        );
      }

      for (const op of FIXTURE_BINARY) {
        itHalf(
          `${op}: within ${bound} ulp of the exact value rounded to ${dtype} (mpmath fixture)`,
          async () => {
            const cases = fixtureRegions(dtype, "binary", op).flatMap((r) =>
              r.cases.map((c) => ({
                region: r.region,
                a: c.args[0] as number,
                b: c.args[1] as number,
                expected: c.expected,
              })),
            );
            const got = await read(
              BINARY_FNS[op](
                floatArray(
                  dtype,
                  cases.map((c) => c.a),
                ),
                floatArray(
                  dtype,
                  cases.map((c) => c.b),
                ),
              ),
              dtype,
            );
            expectUlp(
              `${op} ${dtype}`,
              f,
              cases.map((c, i) => ({
                label: `${callLabel(op, dtype, [c.a, c.b])} [${c.region}]`,
                expected: c.expected,
                got: got[i] as number,
              })),
              bound,
            );
          },
        );
      }

      itHalf(
        "transcendental special values keep their IEEE/MLX results in the half type",
        async () => {
          const inf = Number.POSITIVE_INFINITY;
          const table: readonly (readonly [UnaryName, number, Exact])[] = [
            ["exp", -inf, 0],
            ["exp", inf, inf],
            ["exp", 100, inf],
            ["expm1", -0, -0],
            ["log", 0, -inf],
            ["log", -1, Number.NaN],
            ["log1p", -1, -inf],
            ["tanh", -0, -0],
            ["tanh", -inf, -1],
            ["erf", inf, 1],
            ["erfc", -inf, 2],
            ["erfinv", 1, inf],
            ["erfinv", -1, -inf],
            ["erfinv", 2, Number.NaN],
            ["sigmoid", 0, 0.5],
            ["sigmoid", inf, 1],
            ["sigmoid", -inf, 0],
            ["sqrt", -0, -0],
            ["exp", Number.NaN, Number.NaN],
          ];
          for (const [op, x, expected] of table) {
            const got = await read(UNARY_FNS[op](floatArray(dtype, [x])), dtype);
            expectExact(`${op} ${dtype}`, dtype, [
              { label: callLabel(op, dtype, [x]), expected, got: got[0] as number },
            ]);
          }
        },
      );
    });
  }
}
