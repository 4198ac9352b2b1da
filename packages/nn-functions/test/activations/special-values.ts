import { array, type NestedArray } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type ActivationInfo, SELU_ALPHA, SELU_SCALE } from "../../src/index.js";
import { show, values } from "./compare.js";
import type { FixtureParams } from "./fixtures.js";

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
const f32 = Math.fround;

/**
 * What each activation gives for NaN, +inf and -inf: MLX's behaviour (spec §1), except where
 * MLX's NaN is only an artefact of -inf·0 (the x·gate functions at -inf, softsign at ±inf):
 * there nnkit returns the limit. Zeros compare without sign unless `signedZero` is set.
 */
interface SpecialCase {
  readonly params?: FixtureParams;
  /** A vector input (elementwise functions) or rows along the last axis (row-wise ones). */
  readonly x: readonly number[] | readonly (readonly number[])[];
  readonly y: readonly number[];
  readonly signedZero?: boolean;
  readonly note?: string;
}

const ELEMENTWISE_IN = [NAN, INF, -INF];
const ew = (y: readonly number[], params?: FixtureParams, note?: string): SpecialCase => ({
  x: ELEMENTWISE_IN,
  y,
  ...(params ? { params } : {}),
  ...(note ? { note } : {}),
});
/** x·gate(x): MLX gives NaN at -inf (−inf·0); nnkit the limit 0 (as −0). */
const gateLimit = ew([NAN, INF, 0], undefined, "-inf gives the limit 0, not MLX's NaN");

const SPECIAL: Readonly<Record<string, readonly SpecialCase[]>> = {
  celu: [ew([NAN, INF, -1]), ew([NAN, INF, f32(-1.1)], { alpha: 1.1 })],
  elu: [ew([NAN, INF, -1]), ew([NAN, INF, f32(-1.1)], { alpha: 1.1 })],
  gelu: [gateLimit],
  geluApprox: [gateLimit],
  geluFastApprox: [gateLimit],
  silu: [gateLimit],
  mish: [gateLimit],
  hardswish: [gateLimit],
  glu: [
    {
      x: [
        [NAN, 0],
        [1, NAN],
        [INF, 0],
        [-INF, 0],
        [1, INF],
        [1, -INF],
        [2, INF],
        [INF, -INF],
      ],
      y: [NAN, NAN, INF, -INF, 1, 0, 2, NAN],
      note: "a·sigmoid(b); inf·sigmoid(-inf) is inf·0 = NaN as in MLX",
    },
  ],
  hardShrink: [ew([0, INF, -INF], undefined, "NaN gives 0 (the comparison is false)")],
  hardTanh: [ew([NAN, 1, -1]), ew([NAN, 2.5, f32(-0.7)], { minVal: -0.7, maxVal: 2.5 })],
  leakyRelu: [ew([NAN, INF, -INF]), ew([NAN, INF, -INF], { negativeSlope: 1.5 })],
  logSigmoid: [{ x: ELEMENTWISE_IN, y: [NAN, -0, -INF], signedZero: true, note: "+inf gives -0" }],
  logSoftmax: [
    {
      x: [
        [0, INF],
        [-INF, -INF],
        [NAN, 0],
        [0, -INF],
        [-INF, 3],
      ],
      y: [NAN, NAN, NAN, NAN, NAN, NAN, 0, -INF, -INF, 0],
      note: "+inf in a row or an all -inf row gives NaN; one -inf entry gives -inf",
    },
  ],
  prelu: [
    ew([NAN, INF, -INF], { alpha: 0.25 }),
    ew([NAN, INF, NAN], { alpha: 0 }, "alpha 0 at -inf is 0·(-inf) = NaN, as MLX"),
  ],
  relu: [ew([NAN, INF, 0]), { x: [-0, 0], y: [0, 0], signedZero: true, note: "relu(-0) = +0" }],
  relu2: [ew([NAN, INF, 0])],
  relu6: [ew([NAN, 6, 0])],
  selu: [ew([NAN, INF, f32(-SELU_ALPHA * SELU_SCALE)])],
  sigmoid: [ew([NAN, 1, 0]), { x: [0], y: [0.5] }],
  softmax: [
    {
      x: [
        [0, INF],
        [-INF, -INF],
        [NAN, 1],
        [0, -INF],
        [INF, INF],
      ],
      y: [NAN, NAN, NAN, NAN, NAN, NAN, 1, 0, NAN, NAN],
      note: "+inf or NaN in a row, or only -inf, gives NaN",
    },
  ],
  softmin: [
    {
      x: [
        [0, -INF],
        [INF, INF],
        [NAN, 1],
        [0, INF],
      ],
      y: [NAN, NAN, NAN, NAN, NAN, NAN, 1, 0],
      note: "softmax(-x): -inf in a row gives NaN",
    },
  ],
  softplus: [ew([NAN, INF, 0])],
  softshrink: [ew([0, INF, -INF], undefined, "NaN gives 0")],
  softsign: [ew([NAN, 1, -1], undefined, "±inf give ±1, not MLX's NaN (inf/inf)")],
  step: [ew([0, 1, 0], undefined, "NaN gives 0"), ew([0, 1, 0], { threshold: 1 })],
  tanh: [ew([NAN, 1, -1])],
};

/** Very negative finite inputs give -0 for the x·gate functions (MLX's pattern). */
const NEGATIVE_ZERO_AT = -1e30;
const GATES_WITH_NEGATIVE_ZERO = [
  "gelu",
  "geluApprox",
  "geluFastApprox",
  "silu",
  "mish",
  "hardswish",
];

function sameValue(got: number, want: number, signedZero: boolean): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  return signedZero ? Object.is(got, want) : got === want;
}

async function check(a: ActivationInfo, c: SpecialCase): Promise<void> {
  const x = array(c.x as NestedArray);
  const y = a.apply(x, c.params ?? (a.name === "prelu" ? { alpha: 0.25 } : {}));
  const got = await values(y);
  const want = c.y;
  expect(got.length).toBe(want.length);
  const flatIn = (c.x as (number | readonly number[])[]).flat();
  const bad = got.flatMap((g, i) =>
    sameValue(g, want[i] as number, c.signedZero === true)
      ? []
      : [`[${i}] got ${show(g)}, expected ${show(want[i])}`],
  );
  expect(
    bad,
    `${a.name} on [${flatIn.map(show).join(", ")}]${c.note ? ` (${c.note})` : ""}`,
  ).toEqual([]);
}

export function defineSpecialValueSuite(): void {
  describe("activation special values (NaN, ±inf, signed zeros)", () => {
    for (const a of ACTIVATIONS) {
      const cases = SPECIAL[a.name];
      it(`${a.name}: NaN, +inf and -inf`, async () => {
        expect(cases, `special values of ${a.name} are listed`).toBeDefined();
        for (const c of cases ?? []) await check(a, c);
      });
    }

    it("the x·gate functions give -0 for very negative finite inputs", async () => {
      for (const name of GATES_WITH_NEGATIVE_ZERO) {
        const a = ACTIVATIONS.find((e) => e.name === name);
        expect(a, name).toBeDefined();
        if (!a) continue;
        const [y] = await values(a.apply(array([NEGATIVE_ZERO_AT])));
        expect(Object.is(y, -0), `${name}(${NEGATIVE_ZERO_AT}) = ${show(y)}`).toBe(true);
      }
    });
  });
}
