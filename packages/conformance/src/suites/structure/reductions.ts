import {
  array,
  logsumexp,
  max,
  mean,
  min,
  type Array as NdArray,
  split,
  sum,
  transpose,
} from "@nnkit/core";
import { describe, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { expectCloseF32 } from "./expect.js";
import { combine, f32, type HostArray, hostReduce, hostTranspose } from "./host-reference.js";

type Axis = number | readonly number[] | undefined;
type ReduceFn = (x: NdArray, axis?: Axis, keepdims?: boolean) => NdArray;

const OPS: readonly { name: keyof typeof combine; fn: ReduceFn; exact: boolean }[] = [
  { name: "sum", fn: sum, exact: false },
  { name: "mean", fn: mean, exact: false },
  { name: "max", fn: max, exact: true },
  { name: "min", fn: min, exact: true },
  { name: "logsumexp", fn: logsumexp, exact: false },
];

/** Every axis form of a 3-D array: all, single, negative, lists (non-adjacent, unsorted), none. */
const AXES: readonly Axis[] = [undefined, 0, 1, 2, -1, -3, [0, 2], [2, 0], [-1, 1], [0, 1, 2], []];

const describeAxis = (a: Axis) => (a === undefined ? "all axes" : `axis ${JSON.stringify(a)}`);

/**
 * float32 values of mixed sign and magnitude. For the 24 used here, every value is a multiple of
 * 2^-30 and below 10 in magnitude, so any sum of them is exact in float64 and the float64
 * reference rounds exactly once.
 */
function fixture(shape: readonly number[]): HostArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Array.from({ length: n }, (_, i) => f32(Math.sin(i * 1.7 + 0.3) * 10)) };
}

export function defineReductionSuite(options: SuiteOptions): void {
  // Max and min select an element, so they are exact everywhere; the rest round once on the CPU.
  const maxUlp = options.maxUlpFloat32 ?? 1;

  describe("reductions over every axis form", () => {
    const host = fixture([2, 3, 4]);
    const make = () => array(host.values).reshape([2, 3, 4]);

    for (const op of OPS) {
      const tol = op.exact ? 0 : maxUlp;
      for (const axis of AXES) {
        it(`${op.name} over ${describeAxis(axis)}, keepdims false and true`, async () => {
          for (const keepdims of [false, true]) {
            const expected = hostReduce(host, axis, keepdims, combine[op.name]);
            await expectCloseF32(op.fn(make(), axis, keepdims), expected, tol);
          }
        });
      }

      it(`${op.name} of a transposed (non-contiguous) input`, async () => {
        const perm = [2, 0, 1];
        const hostT = hostTranspose(host, perm);
        for (const axis of [undefined, 0, -1, [0, 2], [1]] as const) {
          for (const keepdims of [false, true]) {
            const expected = hostReduce(hostT, axis, keepdims, combine[op.name]);
            await expectCloseF32(op.fn(transpose(make(), perm), axis, keepdims), expected, tol);
          }
        }
      });

      it(`${op.name} of an evaluated transposed input and of a slice at an offset`, async () => {
        const t = transpose(make(), [1, 2, 0]);
        await t.data();
        const hostT = hostTranspose(host, [1, 2, 0]);
        await expectCloseF32(
          op.fn(t, [0, 2]),
          hostReduce(hostT, [0, 2], false, combine[op.name]),
          tol,
        );
        // Columns 1..3 of the last axis: a view with an offset and a gap between rows.
        const tail = split(make(), [1], 2)[1] as NdArray;
        const hostTail: HostArray = {
          shape: [2, 3, 3],
          values: host.values.filter((_, i) => i % 4 !== 0),
        };
        for (const axis of [undefined, 1, [0, 2]] as const) {
          await expectCloseF32(
            op.fn(tail, axis),
            hostReduce(hostTail, axis, false, combine[op.name]),
            tol,
          );
        }
      });

      it(`${op.name} as a method`, async () => {
        const x = make();
        const methods: Record<typeof op.name, (axis?: Axis, keepdims?: boolean) => NdArray> = {
          sum: (a, k) => x.sum(a, k),
          mean: (a, k) => x.mean(a, k),
          max: (a, k) => x.max(a, k),
          min: (a, k) => x.min(a, k),
          logsumexp: (a, k) => x.logsumexp(a, k),
        };
        const m = methods[op.name];
        await expectCloseF32(m(), hostReduce(host, undefined, false, combine[op.name]), tol);
        await expectCloseF32(m(1), hostReduce(host, 1, false, combine[op.name]), tol);
        await expectCloseF32(
          m([0, 2], true),
          hostReduce(host, [0, 2], true, combine[op.name]),
          tol,
        );
      });
    }

    it("sum accumulates beyond float32: 1000 × f32(0.1) and large + small terms", async () => {
      // A float32 running sum gives 99.99905; the exact sum rounds to 100.
      const tenths = Array.from({ length: 1000 }, () => f32(0.1));
      await expectCloseF32(
        sum(array(tenths)),
        { shape: [], values: [combine.sum(tenths)] },
        maxUlp,
      );
      // 2^24 + 1 + 1 + … : each 1 vanishes in a float32 running sum.
      const big = [2 ** 24, ...Array.from({ length: 64 }, () => 1)];
      await expectCloseF32(sum(array(big)), { shape: [], values: [2 ** 24 + 64] }, maxUlp);
      await expectCloseF32(mean(array(big)), { shape: [], values: [(2 ** 24 + 64) / 65] }, maxUlp);
    });

    it("x.exp() as a method, then reduced", async () => {
      const x = array([0, 1, -2.5, 3]);
      await expectCloseF32(x.exp(), { shape: [4], values: [0, 1, -2.5, 3].map(Math.exp) }, maxUlp);
      await expectCloseF32(
        x.exp().sum(),
        {
          shape: [],
          values: [[0, 1, -2.5, 3].map((v) => f32(Math.exp(v))).reduce((a, b) => a + b, 0)],
        },
        maxUlp + 1, // exp rounds to float32 before the sum rounds again
      );
    });
  });
}
