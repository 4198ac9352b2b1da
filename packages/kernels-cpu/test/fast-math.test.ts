import type { BinaryOp, UnaryOp } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { binaryFn, unaryFn } from "../src/elementwise/semantics.js";
import { MATH_BINARY, MATH_UNARY } from "../src/wasm/math/index.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";
import { BATCH, edgeValues, fill, fillEdgePairs, harness } from "./math-harness.js";

// The "fast" vector math functions over general float64 arguments, against the JavaScript
// definitions (within 1 ulp in double, so exact enough here): relative error at most 2^-30
// wherever the exact value is a normal double above 2^-1000 (results below that may flush to
// 0; exp and expm1 overflow to inf from e^709, float32 overflowing long before), and the same
// special values: NaN only for NaN, infinities and zeros with their signs. logaddexp(a, b) =
// hi + log1p(e^(lo − hi)) cancels where the result is near 0 (hi ∈ (−ln 2, 0)); there even the
// float64 reference is only accurate to 2^-52 of |hi|, so it is held to 2^-30 of
// |result| + 2^-20·|hi| (still 2^-50 absolute: far below any float32 result's ulp there).

const BOUND = 2 ** -30;
const TINY = 2 ** -1000;
const HUGE = 8e307;

/** Why `got` is not an acceptable value for `want` (of terms of size `scale`), or undefined. */
function misfit(got: number, want: number, scale = Math.abs(want)): string | undefined {
  if (Number.isNaN(want) || Number.isNaN(got)) {
    return Number.isNaN(want) && Number.isNaN(got) ? undefined : "NaN mismatch";
  }
  if (want === 0 || !Number.isFinite(want)) {
    if (Object.is(got, want)) return undefined;
    return Math.abs(got) <= TINY && want === 0 && Object.is(Math.sign(got) || got, want || want)
      ? undefined
      : "special value";
  }
  if (!Number.isFinite(got)) {
    return Math.abs(want) >= HUGE && Math.sign(got) === Math.sign(want) ? undefined : "overflow";
  }
  if (Math.abs(want) <= TINY) return Math.abs(got - want) <= TINY ? undefined : "tiny result";
  return Math.abs(got - want) <= BOUND * scale ? undefined : "relative error";
}

function check(
  op: string,
  got: Float64Array,
  want: (i: number) => number,
  args: (i: number) => string,
  scale: (i: number, want: number) => number = (_, w) => Math.abs(w),
) {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i] as number;
    const w = want(i);
    const why = misfit(g, w, scale(i, w));
    if (why !== undefined) expect.fail(`${op}(${args(i)}): fast ${g} vs exact ${w}: ${why}`);
    if (Number.isFinite(g) && Number.isFinite(w) && Math.abs(w) > TINY) {
      worst = Math.max(worst, Math.abs(g - w) / scale(i, w));
    }
  }
  return worst;
}

const BATCHES = 8;
const measured: Record<string, number> = {};

describe.runIf(wasmSimdAvailable())("fast vector math functions (float64 lanes)", () => {
  /** The worst relative error of unary `op` against `ref`: edges (and `extra`), then random. */
  function unaryWorst(op: string, ref: (x: number) => number, seed: number, extra: number[] = []) {
    const h = harness(op, 1, "fast");
    const edges = edgeValues();
    let worst = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      fill(h.a, seed + batch, batch);
      if (batch === 0) h.a.set([...edges, ...extra]);
      h.run();
      const w = check(
        op,
        h.out,
        (i) => ref(h.a[i] as number),
        (i) => `${h.a[i]}`,
      );
      worst = Math.max(worst, w);
    }
    return worst;
  }

  for (const op of MATH_UNARY) {
    it(`${op} is within 2^-30 relative`, () => {
      measured[op] = unaryWorst(op, unaryFn(op as UnaryOp, "float32"), 17);
    });
  }

  for (const op of MATH_BINARY) {
    it(`${op} is within 2^-30 relative`, () => {
      const ref = binaryFn(op as BinaryOp, "float32");
      const h = harness(op, 2, "fast");
      const edges = edgeValues();
      let worst = 0;
      for (let batch = 0; batch < BATCHES; batch++) {
        fill(h.a, 29 + batch, batch);
        fill(h.b, 31 + batch, batch + 1);
        if (batch === 0) fillEdgePairs(h.a, h.b, edges);
        if (batch === 1) {
          for (let i = 0; i < BATCH; i++)
            h.b[i] = (h.a[i] as number) * (1 + ((i % 64) - 32) * 2 ** -40);
        }
        if (batch === 2) {
          // Pairs whose result is near 0: b ≈ log(1 − e^a) for a ∈ (−1, 0), nudged by 2^-30·k.
          for (let i = 0; i < BATCH; i++) {
            const a = -((i + 0.5) / BATCH);
            h.a[i] = a;
            h.b[i] = Math.log(-Math.expm1(a)) + ((i % 17) - 8) * 2 ** -30;
          }
        }
        h.run();
        const w = check(
          op,
          h.out,
          (i) => ref(h.a[i] as number, h.b[i] as number),
          (i) => `${h.a[i]}, ${h.b[i]}`,
          (i, w) => Math.abs(w) + 2 ** -20 * Math.abs(Math.max(h.a[i] as number, h.b[i] as number)),
        );
        worst = Math.max(worst, w);
      }
      measured[op] = worst;
    });
  }

  // The fused functions that stand for compositions of ops (src/wasm/fused-math.ts).
  const softplus = binaryFn("logaddexp", "float32");
  const FUSED: Record<string, (x: number) => number> = {
    softplus: (x) => softplus(x, 0),
    tanhSoftplus: (x) => Math.tanh(softplus(x, 0)),
  };
  for (const [op, ref] of Object.entries(FUSED)) {
    it(`fused ${op} is within 2^-30 relative`, () => {
      // Also both caps of tanhSoftplus's argument (20, and the exp's lower end).
      const caps = [20, 20 + 2 ** -48, 20 - 2 ** -48, -707.7, -707.7 - 2 ** -40, -707.7 + 2 ** -40];
      measured[op] = unaryWorst(op, ref, 41, [...caps, ...caps.map((c) => c / 2)]);
    });
  }

  it("prints the measured maxima", () => {
    const lines = Object.entries(measured).map(
      ([op, e]) => `${op}: 2^${e === 0 ? "-inf" : Math.log2(e).toFixed(1)}`,
    );
    console.log(`fast math max relative error: ${lines.join(", ")}`);
    expect(Object.keys(measured).length).toBe(
      MATH_UNARY.size + MATH_BINARY.size + Object.keys(FUSED).length,
    );
  });
});
