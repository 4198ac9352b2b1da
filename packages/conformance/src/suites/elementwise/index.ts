import { BINARY_OPS, UNARY_OPS } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { defineBinaryFloat32Suite } from "./binary-float32.js";
import { defineFusionSuite } from "./fusion.js";
import { defineHalfSuite } from "./half.js";
import { defineIntegerBoolSuite } from "./integer-bool.js";
import { BINARY_FNS, INTERNAL_PRIMITIVES, UNARY_FNS } from "./ops.js";
import { definePredicatesSuite, PREDICATES } from "./predicates.js";
import { definePromotionSuite } from "./promotion.js";
import { defineReferenceCheckSuite } from "./reference-check.js";
import { defineUnaryFloat32Suite, FLOAT32_UNARY_SPECIALS } from "./unary-float32.js";

/**
 * Core's elementwise ops against exact references: float32 in ulps (bound
 * `options.maxUlpFloat32`, default 1), float16/bfloat16 rounded once, integer and bool
 * semantics, result dtypes, special values, and fused chains.
 */
export function defineElementwiseSuites(options: SuiteOptions): void {
  describe("elementwise", () => {
    it("covers every elementwise primitive core defines", () => {
      const unary = UNARY_OPS.filter((op) => !INTERNAL_PRIMITIVES.includes(op));
      expect(Object.keys(UNARY_FNS).sort(), "unary ops with a function here").toEqual(
        [...unary].sort(),
      );
      expect(
        [...Object.keys(FLOAT32_UNARY_SPECIALS), ...Object.keys(PREDICATES)].sort(),
        "unary ops with a special-value table",
      ).toEqual([...unary].sort());
      expect(Object.keys(BINARY_FNS).sort(), "binary ops with a function here").toEqual(
        [...BINARY_OPS].sort(),
      );
    });

    defineReferenceCheckSuite();
    defineUnaryFloat32Suite(options);
    defineBinaryFloat32Suite(options);
    defineIntegerBoolSuite(options);
    definePromotionSuite(options);
    defineHalfSuite(options);
    definePredicatesSuite(options);
    defineFusionSuite(options);
  });
}
