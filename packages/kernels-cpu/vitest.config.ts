import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "kernels-cpu",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
