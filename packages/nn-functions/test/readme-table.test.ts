/**
 * The README's activation table is generated from ACTIVATIONS by
 * scripts/docs/activation-table.mjs; this test fails when the two drift apart (a catalog
 * change without regenerating, or a hand edit of the table).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  betweenMarkers,
  README,
  renderActivationTable,
  replaceBetweenMarkers,
} from "../../../scripts/docs/activation-table.mjs";
import { ACTIVATIONS } from "../src/index.js";

describe("packages/nn-functions/README.md activation table", () => {
  const readme = readFileSync(README, "utf8");

  it("equals the table rendered from ACTIVATIONS (run node scripts/docs/activation-table.mjs)", () => {
    expect(betweenMarkers(readme)).toBe(renderActivationTable(ACTIVATIONS));
  });

  it("has one row per activation, in catalog order", () => {
    const rows = betweenMarkers(readme)
      .split("\n")
      .filter((l) => l.startsWith("| `"));
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(ACTIVATIONS.map((a) => a.name));
    expect(rows).toHaveLength(27);
  });

  it("rewriting is idempotent and keeps the text around the markers", () => {
    const once = replaceBetweenMarkers(readme, renderActivationTable(ACTIVATIONS));
    expect(replaceBetweenMarkers(once, renderActivationTable(ACTIVATIONS))).toBe(once);
    expect(once).toBe(readme);
  });
});
