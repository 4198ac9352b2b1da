import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bench",
    include: ["test/**/*.test.ts"],
    // One quick bench run of a few functions at 2^10 with every peer: ~10 s on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
