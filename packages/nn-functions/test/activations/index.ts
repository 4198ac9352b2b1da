import type { SuiteOptions } from "@nnkit/conformance";
import { describe } from "vitest";
import { defineFloat32AccuracySuite } from "./accuracy-float32.js";
import { defineAxisSuite } from "./axes.js";
import { defineDtypeSuite } from "./dtypes.js";
import { defineHalfAccuracySuite } from "./half.js";
import { defineMlxVectorSuite } from "./mlx-vectors.js";
import { defineNamedExampleSuite } from "./named-examples.js";
import { defineRowAccuracySuite } from "./rows.js";
import { defineSpecialValueSuite } from "./special-values.js";
import { UlpTable } from "./ulp-table.js";

/**
 * The activations of @nnkit/nn-functions on the backend under test: accuracy against exact
 * fixtures (float32, float16, bfloat16; elementwise, rows, any axis), MLX's own test vectors,
 * special values, input dtypes and the named accuracy examples. The measured max-ulp
 * per activation is printed once at the end ("activation max-ulp table (backend): ...").
 */
export function defineActivationSuites(options: SuiteOptions): void {
  describe("activations", () => {
    const table = new UlpTable(options.backend);
    table.printAfterAll();
    defineFloat32AccuracySuite(options, table);
    defineRowAccuracySuite(options, table);
    defineAxisSuite(options, table);
    defineHalfAccuracySuite(options, table);
    defineMlxVectorSuite(options);
    defineSpecialValueSuite();
    defineDtypeSuite(options);
    defineNamedExampleSuite(options);
  });
}
