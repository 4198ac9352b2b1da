import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import * as nn from "@nnkit/nn-functions";
import { beforeAll, describe, expect, it } from "vitest";
import { compare } from "../src/agreement.js";
import { type BenchReport, isMeasured, runBench } from "../src/bench.js";
import { QUICK_MEASURE } from "../src/cli.js";
import { REGIMES } from "../src/contestant.js";
import { PEERS } from "../src/peers/index.js";
import { toJson, toMarkdown } from "../src/report.js";

// The bench's --quick mode, run programmatically on a few functions at 2^10. It checks the
// report's shape, that every peer either has numbers or says why not, and that every peer's
// values agree with nnkit's CPU (a peer computing a different function fails here). No timing
// is asserted.
// In catalog order, which is the report's order.
const FUNCTIONS = ["gelu", "relu", "silu", "softmax", "step"];

let report: BenchReport;

beforeAll(async () => {
  report = await runBench({
    sizesLog2: [10],
    functions: FUNCTIONS,
    regimes: REGIMES,
    measure: QUICK_MEASURE,
    checkMaxLog2: 10,
    quick: true,
    command: "vitest",
  });
});

describe("bench --quick", () => {
  it("has one case per function and regime, with every contestant", () => {
    expect(report.schema).toBe("nnkit-bench/1");
    expect(report.cases.map((c) => `${c.fn}/${c.regime}`)).toEqual(
      FUNCTIONS.flatMap((f) => REGIMES.map((r) => `${f}/${r}`)),
    );
    const ids = report.contestants.map((c) => c.id);
    expect(ids).toEqual(["nnkit", "copy", "fresh-copy", ...PEERS.map((p) => p.id)]);
    for (const c of report.contestants) expect(c.unavailable).toBeUndefined();
    expect(report.machine.logicalCores).toBeGreaterThan(0);
    expect(report.liveBuffers.end).toBe(report.liveBuffers.start);
  });

  it("gives every contestant numbers or an explained 'unsupported'", () => {
    for (const r of report.cases) {
      for (const c of report.contestants) {
        const cell = r.cells[c.id];
        if (!c.regimes.includes(r.regime)) {
          expect(cell, `${c.id} ${r.fn} ${r.regime}`).toBeUndefined();
          continue;
        }
        expect(cell, `${c.id} ${r.fn} ${r.regime}`).toBeDefined();
        expect(cell && "failed" in cell ? cell.failed : undefined).toBeUndefined();
        if (isMeasured(cell)) {
          expect(Number.isFinite(cell.medianMs) && cell.medianMs > 0).toBe(true);
          expect(cell.minMs).toBeLessThanOrEqual(cell.medianMs);
          expect(cell.maxMs).toBeGreaterThanOrEqual(cell.medianMs);
          expect(cell.runs).toBeGreaterThanOrEqual(QUICK_MEASURE.minRuns);
          if (c.kind === "peer") expect(r.ratios[c.id]).toBeGreaterThan(0);
        } else {
          expect(c.kind).toBe("peer");
          expect(cell && "unsupported" in cell ? cell.unsupported.length : 0).toBeGreaterThan(10);
        }
      }
      expect(isMeasured(r.cells.nnkit)).toBe(true);
      expect(isMeasured(r.cells.copy)).toBe(true);
      expect(r.nnkitOverCopy).toBeGreaterThan(0);
    }
  });

  it("finds every peer's values in agreement with nnkit's", () => {
    for (const fn of FUNCTIONS) {
      const checked = report.cases.filter((r) => r.fn === fn && r.agreement);
      expect(checked, fn).toHaveLength(1);
      const r = checked[0];
      if (!r) continue;
      for (const c of report.contestants.filter((x) => x.kind === "peer")) {
        if (!isMeasured(r.cells[c.id])) continue;
        const a = r.agreement?.[c.id];
        expect(a, `${c.id} ${fn}`).toBeDefined();
        expect(a?.agrees, `${c.id} ${fn}: ${JSON.stringify(a)}`).toBe(true);
      }
    }
    // The well-covered functions run on most peers: the check above is not vacuous.
    const relu = report.cases.find((r) => r.fn === "relu" && r.agreement);
    expect(Object.keys(relu?.agreement ?? {}).length).toBeGreaterThanOrEqual(6);
  });

  it("uses a tolerance that tells gelu from its tanh approximation", async () => {
    const x = mx.linspace(-6, 6, 1001);
    const exact = nn.gelu(x);
    const approx = nn.geluApprox(x);
    expect(compare(await exact.data(), await exact.data()).agrees).toBe(true);
    expect(compare(await exact.data(), await approx.data()).agrees).toBe(false);
    for (const a of [x, exact, approx]) a.dispose();
  });

  it("writes Markdown and JSON", () => {
    const md = toMarkdown(report);
    expect(md).toContain("# nnkit activation benchmark");
    expect(md).toContain(
      "| function | nnkit ms (min–max) | copy ms | fresh copy ms | nnkit / copy |",
    );
    expect(md).toContain("## Agreement with nnkit");
    // Every "–" cell points at a footnote that exists.
    for (const m of md.matchAll(/–\[\^(\d+)\]/g)) expect(md).toContain(`[^${m[1]}]: `);
    const json = JSON.parse(toJson(report)) as BenchReport;
    expect(json.cases).toHaveLength(report.cases.length);
  });
});
