import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "nn-modules",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
