import type { ExprNode, FusedExpr } from "@nnkit/core";
import * as mx from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { CpuBackend } from "../src/index.js";
import { wasmSimdAvailable } from "../src/wasm/runtime.js";
import { classifyScalars, scalarClass, specialisedScalars } from "../src/wasm/scalar-classes.js";

describe("scalar classes of clamps", () => {
  it("classifies +0, -0, NaN and everything else", () => {
    expect([0, -0, Number.NaN, 6, -1, Number.POSITIVE_INFINITY].map(scalarClass)).toEqual([
      "+0",
      "-0",
      "nan",
      "other",
      "other",
      "other",
    ]);
  });

  it("finds the scalars that are direct operands of maximum/minimum", () => {
    const nodes: ExprNode[] = [
      { kind: "input", index: 0, dtype: "float32" },
      { kind: "scalar", index: 0, dtype: "float32" },
      { kind: "binary", op: "maximum", lhs: 1, rhs: 0, dtype: "float32" },
      { kind: "scalar", index: 1, dtype: "float32" },
      { kind: "binary", op: "add", lhs: 2, rhs: 3, dtype: "float32" },
      { kind: "scalar", index: 2, dtype: "float32" },
      { kind: "binary", op: "minimum", lhs: 4, rhs: 5, dtype: "float32" },
    ];
    const e: FusedExpr = {
      nodes,
      inputDtypes: ["float32"],
      scalarCount: 3,
      outDtype: "float32",
      key: "k",
    };
    expect(specialisedScalars(e)).toEqual([0, 2]);
    expect(classifyScalars([0, 2], [-0, 5, 6]).key).toBe("-0,other");
  });
});

describe.runIf(wasmSimdAvailable())(
  "clamps against each class of scalar keep Math.max/min's bits",
  () => {
    const simd = new CpuBackend({ name: "clamp-simd", mode: "wasm", threads: 1 });
    const js = new CpuBackend({ name: "clamp-js", mode: "compiled" });
    mx.registerBackend("clamp-simd", () => simd);
    mx.registerBackend("clamp-js", () => js);
    const xs = [
      -0,
      0,
      -1,
      1,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      1e-45,
      -1e-45,
      7,
    ];

    for (const c of [0, -0, Number.NaN, 6, -6, Number.POSITIVE_INFINITY, 0.1]) {
      for (const op of ["maximum", "minimum"] as const) {
        it(`${op}(x, ${Object.is(c, -0) ? "-0" : c}) and ${op}(${Object.is(c, -0) ? "-0" : c}, x)`, async () => {
          const bits: string[][] = [];
          for (const device of ["clamp-simd", "clamp-js"]) {
            await mx.setDefaultDevice(device);
            const x = mx.array(xs);
            const ys = [mx[op](x, c), mx[op](c, x), mx[op](mx.multiply(x, 3), c)];
            const row: string[] = [];
            for (const y of ys) {
              const v = (await y.data()) as Float32Array;
              row.push(
                Array.from(v, (e) =>
                  Number.isNaN(e) ? "NaN" : Object.is(e, -0) ? "-0" : String(e),
                ).join(" "),
              );
              y.dispose();
            }
            x.dispose();
            bits.push(row);
          }
          expect(bits[0]).toEqual(bits[1]);
        });
      }
    }
  },
);
