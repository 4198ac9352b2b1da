import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MODULES } from "../src/index.js";

// The README's table is written by hand; this keeps it in step with MODULES.
const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  const rows = readme.split("\n").filter((l) => /^\| `[A-Z][A-Za-z0-9]*` \|/.test(l));

  it("has one table row per Module, in MODULES order", () => {
    expect(rows.map((r) => r.split("`")[1])).toEqual(MODULES.map((m) => m.name));
  });

  for (const m of MODULES) {
    it(`${m.name}'s row shows its options, defaults and functions`, () => {
      const row = rows.find((r) => r.startsWith(`| \`${m.name}\` |`)) ?? "";
      for (const o of m.options) {
        expect(row).toContain(`\`${o.name} = ${JSON.stringify(o.default)}`);
      }
      if (m.options.length === 0) expect(row).toContain("| none |");
      for (const f of m.functions) expect(row).toContain(`\`${f}(x`);
    });
  }
});
