import { itWithDtypes, type SuiteOptions } from "@nnkit/conformance";
import { array, sigmoid as coreSigmoid, type DType, type Array as NdArray } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import {
  celu,
  elu,
  gelu,
  geluApprox,
  geluFastApprox,
  glu,
  hardShrink,
  hardswish,
  hardTanh,
  leakyRelu,
  logSigmoid,
  logSoftmax,
  mish,
  prelu,
  relu,
  relu6,
  selu,
  sigmoid,
  softmax,
  softmin,
  softplus,
  softshrink,
  softsign,
  step,
} from "../../src/index.js";
import { values } from "./compare.js";

/**
 * The test vectors of MLX's own tests (python/tests/test_nn.py, test_ops.py, tests/ops_tests.cpp;
 * spec §6), with MLX's tolerances: np.allclose (rtol 1e-5, atol 1e-8), assertEqualArray
 * (atol = rtol = 1e-2, shape and dtype), "|Δ| < 1e-4", array_equal. Every test also checks
 * the shape and the float32 dtype, except where MLX's test does not (noted).
 */

interface Tol {
  readonly atol: number;
  readonly rtol: number;
}
const ALLCLOSE: Tol = { atol: 1e-8, rtol: 1e-5 };
const EQUAL_ARRAY: Tol = { atol: 1e-2, rtol: 1e-2 };
const ABS_1E4: Tol = { atol: 1e-4, rtol: 0 };
const EXACT: Tol = { atol: 0, rtol: 0 };

async function expectClose(
  y: NdArray,
  expected: readonly number[],
  tol: Tol,
  opts: { shape?: readonly number[]; dtype?: DType | null } = {},
): Promise<void> {
  if (opts.shape !== undefined) expect(y.shape, "shape").toEqual(opts.shape);
  else expect(y.shape, "shape").toEqual([expected.length]);
  if (opts.dtype !== null) expect(y.dtype, "dtype").toBe(opts.dtype ?? "float32");
  const got = await values(y);
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => {
    const e = expected[i] as number;
    const ok =
      tol.atol === 0 && tol.rtol === 0
        ? g === e || (Number.isNaN(g) && Number.isNaN(e))
        : Math.abs(g - e) <= tol.atol + tol.rtol * Math.abs(e);
    expect(ok, `[${i}] got ${g}, expected ${e} (atol ${tol.atol}, rtol ${tol.rtol})`).toBe(true);
  });
}

const f32 = Math.fround;
// MLX's tests write log(2) as 0.6931 and 0.6931472; the vectors are copied as written.
// biome-ignore lint/suspicious/noApproximativeNumericConstant: MLX's test value, verbatim
const LN2_4 = 0.6931;
// biome-ignore lint/suspicious/noApproximativeNumericConstant: MLX's test value, verbatim
const LN2_7 = 0.6931472;

export function defineMlxVectorSuite(options: SuiteOptions): void {
  describe("MLX's activation test vectors", () => {
    describe("test_nn.py", () => {
      const geluIn = [1.15286231, -0.81037411, 0.35816911, 0.77484438, 0.66276414];

      it("test_gelu: GELU() and GELU('precise'/'tanh') against jax", async () => {
        const x = array(geluIn);
        // MLX's test checks neither shape nor dtype here.
        await expectClose(
          gelu(x),
          [1.0093501, -0.16925684, 0.22918941, 0.60498625, 0.49459383],
          ALLCLOSE,
          { dtype: null },
        );
        await expectClose(
          geluApprox(x),
          [1.0091482, -0.1693441, 0.22918446, 0.60491, 0.4945476],
          ALLCLOSE,
          { dtype: null },
        );
      });

      it("test_gelu: on arange(-6, 6, 0.12) the approximations stay within 0.0005 and 0.025", async () => {
        const x = array(Float32Array.from({ length: 100 }, (_, i) => -6 + i * 0.12));
        const exact = await values(gelu(x));
        const approx = await values(geluApprox(x));
        const fast = await values(geluFastApprox(x));
        const maxDiff = (a: number[], b: number[]) =>
          Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
        expect(maxDiff(exact, approx)).toBeLessThan(0.0005);
        expect(maxDiff(exact, fast)).toBeLessThan(0.025);
      });

      it("gelu_fast_approx on the test_gelu inputs (spec's float64 values)", async () => {
        await expectClose(
          geluFastApprox(array(geluIn)),
          [1.0107925, -0.1629892, 0.23204, 0.6113363, 0.5007012],
          ALLCLOSE,
        );
      });

      it("test_sigmoid: mx.sigmoid and nn.sigmoid agree exactly", async () => {
        const x = array([1, 0, -1]);
        expect(await values(sigmoid(x))).toEqual(await values(coreSigmoid(x)));
      });

      it("test_relu", async () => {
        await expectClose(relu(array([1, -1, 0])), [1, 0, 0], EXACT);
      });

      it("test_step: default threshold and threshold 1.0 (shape checked; nnkit's dtype is int32)", async () => {
        await expectClose(step(array([-1, 0, 1])), [0, 1, 1], EXACT, { dtype: "int32" });
        await expectClose(step(array([-1, 0, 1]), 1.0), [0, 0, 1], EXACT, { dtype: "int32" });
      });

      it("test_leaky_relu: default slope and 0.1", async () => {
        await expectClose(leakyRelu(array([1, -1, 0])), [1, f32(-0.01), 0], EXACT);
        await expectClose(leakyRelu(array([1, -1, 0]), 0.1), [1, f32(-0.1), 0], EXACT);
      });

      it("test_elu: default alpha and 1.1", async () => {
        await expectClose(elu(array([1, -1, 0])), [1, -0.6321, 0], ABS_1E4);
        await expectClose(elu(array([1, -1, 0]), 1.1), [1, -0.6953, 0], ABS_1E4);
      });

      it("test_relu6", async () => {
        await expectClose(relu6(array([1, -1, 0, 7, -7])), [1, 0, 0, 6, 0], EXACT);
      });

      it("test_softmax", async () => {
        await expectClose(softmax(array([1, -1, 0])), [0.6652, 0.09, 0.2447], ABS_1E4);
      });

      it("test_softmin", async () => {
        await expectClose(softmin(array([1, 2, 3])), [0.6652, 0.2447, 0.09], ABS_1E4);
      });

      it("test_softplus", async () => {
        await expectClose(softplus(array([1, -1, 0])), [1.3133, 0.3133, LN2_4], ABS_1E4);
      });

      it("test_softsign", async () => {
        await expectClose(softsign(array([1, -1, 0])), [0.5, -0.5, 0], ABS_1E4);
      });

      it("test_softshrink: default lambd and 0.7", async () => {
        await expectClose(softshrink(array([1, -1, 0])), [0.5, -0.5, 0], ABS_1E4);
        await expectClose(softshrink(array([1, -1, 0]), 0.7), [0.3, -0.3, 0], ABS_1E4);
      });

      it("test_celu: default alpha and 1.1", async () => {
        await expectClose(celu(array([1, -1, 0])), [1, -0.6321, 0], ABS_1E4);
        await expectClose(celu(array([1, -1, 0]), 1.1), [1, -0.6568, 0], ABS_1E4);
      });

      it("test_log_softmax: [1, 2, 3]", async () => {
        await expectClose(logSoftmax(array([1, 2, 3])), [-2.4076, -1.4076, -0.4076], ABS_1E4);
      });

      for (const v of [1, 1e4, 1e8, 1e20, 1e36]) {
        it(`test_log_softmax: [[${v}, ${v}]] is log(1/2) (allclose 1e-5)`, async () => {
          await expectClose(
            logSoftmax(array([[v, v]])),
            [-LN2_7, -LN2_7],
            { atol: 1e-5, rtol: 1e-5 },
            { shape: [1, 2] },
          );
        });
      }

      it("test_log_sigmoid", async () => {
        await expectClose(logSigmoid(array([1, -1, 0])), [-0.3133, -1.3133, -LN2_4], ABS_1E4);
      });

      it("test_prelu: PReLU() (a float32 weight of [0.25])", async () => {
        await expectClose(
          prelu(array([1, -1, 0, 0.5]), array([0.25])),
          [1, -0.25, 0, 0.5],
          EQUAL_ARRAY,
        );
      });

      it("test_mish", async () => {
        await expectClose(mish(array([1, -1, 0, 0.5])), [0.8651, -0.3034, 0, 0.3752], EQUAL_ARRAY);
        await expectClose(
          mish(array([1, -1, 0, 0.5])),
          [0.86509839, -0.30340146, 0, 0.37524521],
          ALLCLOSE,
        );
      });

      it("test_hardswish", async () => {
        await expectClose(
          hardswish(array([-3, -1.5, 0, 1.5, 3])),
          [0, -0.375, 0, 1.125, 3],
          ABS_1E4,
        );
      });

      it("test_glu: [[[1, 2, 3, 4]]] -> [[[0.952574, 1.96403]]]", async () => {
        await expectClose(glu(array([[[1, 2, 3, 4]]])), [0.952574, 1.96403], EQUAL_ARRAY, {
          shape: [1, 1, 2],
        });
      });

      it("test_hard_tanh", async () => {
        await expectClose(hardTanh(array([1, -2, 0, 0.5, 2])), [1, -1, 0, 0.5, 1], EXACT);
      });

      it("test_hard_shrink: default lambd and 0.1", async () => {
        const x = () => array([1, -0.5, 0, 0.5, -1.5]);
        await expectClose(hardShrink(x()), [1, 0, 0, 0, -1.5], EXACT);
        await expectClose(hardShrink(x(), 0.1), [1, -0.5, 0, 0.5, -1.5], EXACT);
      });

      it("selu(-1) and selu(1) with MLX's constants (spec's float64 values)", async () => {
        await expectClose(selu(array([-1, 1])), [-1.1113275, 1.0507], ALLCLOSE);
      });
    });

    describe("core-op tests of sigmoid and softmax", () => {
      it("test_ops sigmoid: [0, 1, -1, 5, -5] against 1/(1+exp(-a)) (allclose)", async () => {
        const a = [0, 1, -1, 5, -5];
        await expectClose(
          sigmoid(array(a)),
          a.map((v) => 1 / (1 + Math.exp(-v))),
          ALLCLOSE,
        );
      });

      itWithDtypes(
        options,
        ["float16"],
        "test_ops sigmoid: float16 sigmoid(-8) != 0 and sigmoid(8) != 1",
        async () => {
          const y = await values(sigmoid(array([-8, 8], "float16")));
          expect(y[0]).not.toBe(0);
          expect(y[1]).not.toBe(1);
        },
      );

      it("ops_tests sigmoid: sigmoid(0) = 0.5, int 0 gives float32 0.5, sigmoid(±inf) = 1 and 0", async () => {
        await expectClose(sigmoid(array(0)), [0.5], EXACT, { shape: [] });
        await expectClose(sigmoid(array([0], "int32")), [0.5], EXACT);
        await expectClose(sigmoid(array([Infinity, -Infinity])), [1, 0], EXACT);
      });

      for (const dtype of ["float16", "bfloat16", "float32"] as const) {
        const rtol = dtype === "float32" ? 1e-5 : 1e-2;
        itWithDtypes(
          options,
          [dtype],
          `ops_tests softmax (${dtype}): zeros and ones give exactly 0.25 summing to 1; reference vectors`,
          async () => {
            for (const v of [0, 1]) {
              const y = await values(softmax(array([v, v, v, v], dtype)));
              expect(y).toEqual([0.25, 0.25, 0.25, 0.25]);
              expect(y.reduce((s, t) => s + t, 0)).toBe(1);
            }
            await expectClose(
              softmax(array([-1, -2, -3, -4], dtype)),
              [0.643914, 0.236883, 0.0871443, 0.0320586],
              { atol: 0, rtol },
              { dtype },
            );
            await expectClose(
              softmax(array([1, 0, -1, 0], dtype)),
              [0.534447, 0.196612, 0.0723295, 0.196612],
              { atol: 0, rtol },
              { dtype },
            );
          },
        );
      }

      it("ops_tests softmax: [1000]*3 and [-1000]*3 give 1/3", async () => {
        for (const v of [1000, -1000]) {
          await expectClose(softmax(array([v, v, v])), [1 / 3, 1 / 3, 1 / 3], {
            atol: 0,
            rtol: 1e-5,
          });
        }
      });

      for (const n of [100, 2049, 4097, 8193]) {
        it(`test_ops softmax: ${n} entries, all -inf but a final 0: no NaN, the rest < 1e-9, the last exactly 1`, async () => {
          const x = new Float32Array(n).fill(-Infinity);
          x[n - 1] = 0;
          const y = await values(softmax(array(x)));
          expect(y.some(Number.isNaN)).toBe(false);
          expect(y.slice(0, -1).every((v) => v < 1e-9)).toBe(true);
          expect(y[n - 1]).toBe(1);
        });
      }

      it("test_ops softmax: all -inf rows (127, 128, 129) give NaN", async () => {
        for (const n of [127, 128, 129]) {
          const y = await values(softmax(array(new Float32Array(n).fill(-Infinity))));
          expect(y.every(Number.isNaN)).toBe(true);
        }
      });

      it("test_ops softmax: a 0-d array raises", () => {
        expect(() => softmax(array(1), -1)).toThrow();
      });

      for (const dtype of ["float32", "float16"] as const) {
        const atol = dtype === "float32" ? 1e-6 : 1e-3;
        itWithDtypes(
          options,
          [dtype],
          `test_ops softmax: random (16, 8, 32) ${dtype} over every axis combination (atol ${atol})`,
          async () => {
            const shape = [16, 8, 32];
            const n = 16 * 8 * 32;
            let seed = 12345;
            const rand = () => {
              seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
              return seed / 2 ** 32;
            };
            const xs = Float32Array.from({ length: n }, () => (rand() - 0.5) * 8);
            const combos: number[][] = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
            {
              const x = array(Array.from(xs), dtype).reshape(shape);
              const host = await values(x);
              for (const axes of combos) {
                const expected = hostSoftmax(host, shape, axes);
                const got = await values(softmax(x, axes));
                const worst = Math.max(...got.map((g, i) => Math.abs(g - (expected[i] as number))));
                expect(worst, `${dtype} axes ${JSON.stringify(axes)}`).toBeLessThanOrEqual(atol);
              }
            }
          },
        );
      }
    });
  });
}

/** float64 softmax over `axes` of a row-major array, for the random-array test. */
function hostSoftmax(
  x: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
): number[] {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
  const groups = new Map<number, number[]>();
  x.forEach((_, flat) => {
    let key = 0;
    shape.forEach((s, d) => {
      const i = Math.floor(flat / (strides[d] as number)) % s;
      if (!axes.includes(d)) key = key * s + i;
    });
    const g = groups.get(key) ?? [];
    g.push(flat);
    groups.set(key, g);
  });
  const out = new Array<number>(x.length).fill(0);
  for (const g of groups.values()) {
    const m = Math.max(...g.map((i) => x[i] as number));
    const e = g.map((i) => Math.exp((x[i] as number) - m));
    const s = e.reduce((a, b) => a + b, 0);
    g.forEach((i, k) => {
      out[i] = (e[k] as number) / s;
    });
  }
  return out;
}
