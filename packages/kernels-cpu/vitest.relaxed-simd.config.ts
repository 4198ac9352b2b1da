import { defineConfig } from "vitest/config";

// The fast math's relaxed-SIMD path (f64x2.relaxed_madd in its polynomials): Node 22 and later
// have relaxed SIMD; Node 20 (V8 11.3) needs the flag. The same accuracy suites as the default
// run, on the multiply-add kernels.
const major = Number(process.versions.node.split(".")[0]);

export default defineConfig({
  test: {
    name: "kernels-cpu-relaxed-simd",
    include: ["test/fast-math.test.ts", "test/conformance.test.ts", "test/relaxed-simd.test.ts"],
    testTimeout: 60_000,
    execArgv: major < 22 ? ["--experimental-wasm-relaxed-simd"] : [],
    env: { NNKIT_EXPECT_RELAXED_SIMD: "1" },
  },
});
