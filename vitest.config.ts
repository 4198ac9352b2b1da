import { defineConfig } from "vitest/config";

// One vitest run over every package that has tests; each keeps its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "packages/kernels-cpu/vitest.relaxed-simd.config.ts",
      "apps/*/vitest.config.ts",
    ],
  },
});
