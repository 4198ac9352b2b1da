import type { BinaryOp, UnaryOp } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { binaryFn, unaryFn } from "../src/elementwise/semantics.js";
import { MATH_BINARY, MATH_UNARY } from "../src/wasm/math/index.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";
import { BATCH, edgeValues, fill, fillEdgePairs, harness } from "./math-harness.js";

// The vector math functions on their own, over general float64 arguments (kernels feed them
// float32 inputs, but inner nodes — x*y, -x*x, 2|x| — produce any double): every lane must give
// the bits of the JavaScript definition in semantics.ts (NaN payloads aside). This is the
// "reproducible" set; the default "fast" set is held to an error bound in fast-math.test.ts.

function expectSameBits(op: string, got: Float64Array, want: (i: number) => number, args: string) {
  for (let i = 0; i < got.length; i++) {
    const g = got[i] as number;
    const w = want(i);
    if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
    expect.fail(`${op}(${args.replace("#", String(i))}): wasm ${g} vs js ${w} (element ${i})`);
  }
}

const BATCHES = 8;

describe.runIf(wasmSimdAvailable())("reproducible vector math functions (float64 lanes)", () => {
  for (const op of MATH_UNARY) {
    it(`${op} gives the JavaScript bits`, () => {
      const ref = unaryFn(op as UnaryOp, "float32");
      const h = harness(op, 1, "reproducible");
      const edges = edgeValues();
      for (let batch = 0; batch < BATCHES; batch++) {
        fill(h.a, 17 + batch, batch);
        if (batch === 0) h.a.set(edges);
        h.run();
        expectSameBits(op, h.out, (i) => ref(h.a[i] as number), "a[#]");
      }
    });
  }

  for (const op of MATH_BINARY) {
    it(`${op} gives the JavaScript bits`, () => {
      const ref = binaryFn(op as BinaryOp, "float32");
      const h = harness(op, 2, "reproducible");
      const edges = edgeValues();
      for (let batch = 0; batch < BATCHES; batch++) {
        fill(h.a, 29 + batch, batch);
        fill(h.b, 31 + batch, batch + 1);
        if (batch === 0) fillEdgePairs(h.a, h.b, edges);
        if (batch === 1) {
          // Close operands: exp(lo - hi) near 1.
          for (let i = 0; i < BATCH; i++)
            h.b[i] = (h.a[i] as number) * (1 + ((i % 64) - 32) * 2 ** -40);
        }
        h.run();
        expectSameBits(op, h.out, (i) => ref(h.a[i] as number, h.b[i] as number), "a[#], b[#]");
      }
    });
  }
});
