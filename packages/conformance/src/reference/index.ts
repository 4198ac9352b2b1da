// Exact references shared by the conformance suites: formats, rounding, ulps, fixtures.
export * from "./compare.js";
export * from "./describe.js";
export * from "./fixture.js";
export * from "./formats.js";
export * from "./round.js";
export * from "./ulp.js";
