import { describe, expect, it } from "vitest";
import { CpuBackend } from "../src/backend.js";
import { MathLibrary } from "../src/wasm/math/index.js";
import { relaxedSimdAvailable } from "../src/wasm/relaxed-simd.js";

// Run by both kernels-cpu projects: the default one (Node 20: no relaxed SIMD) and
// vitest.relaxed-simd.config.ts, which enables it and sets NNKIT_EXPECT_RELAXED_SIMD.
const expected =
  process.env.NNKIT_EXPECT_RELAXED_SIMD === "1" ||
  Number(process.versions.node.split(".")[0]) >= 22;

describe("relaxed SIMD multiply-add", () => {
  it(`is ${expected ? "" : "not "}available in this project's Node`, () => {
    expect(relaxedSimdAvailable()).toBe(expected);
  });

  it("is used by the fast math only, where available", () => {
    expect(new MathLibrary(0, "fast").usesFusedMultiplyAdd).toBe(expected);
    expect(new MathLibrary(0, "reproducible").usesFusedMultiplyAdd).toBe(false);
    expect(new MathLibrary(0, "fast", false).usesFusedMultiplyAdd).toBe(false);
  });

  it("is named in the backend's description", () => {
    const fast = new CpuBackend({ name: "relaxed-fast", mode: "wasm", threads: 1 });
    const reproducible = new CpuBackend({
      name: "relaxed-reproducible",
      mode: "wasm",
      threads: 1,
      math: "reproducible",
    });
    expect(fast.description.includes("relaxed-SIMD multiply-add")).toBe(expected);
    expect(reproducible.description).not.toContain("multiply-add");
  });
});
