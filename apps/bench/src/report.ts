import { ACCURACY_NOTE, REL_FLOOR } from "./agreement.js";
import type { BenchReport, CaseResult, Cell, ContestantInfo } from "./bench.js";
import { isMeasured } from "./bench.js";
import type { Regime } from "./contestant.js";

const REGIME_TITLE: Record<Regime, string> = {
  kept: "kept (result evaluated and left on the backend)",
  readBack: "read back (result copied out to a JS typed array)",
};

export function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(2);
}

export function fmtRatio(r: number): string {
  if (r >= 100) return `${r.toFixed(0)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return `${r.toPrecision(2)}×`;
}

/** Numbered footnotes, one per distinct text, shared by every table of the report. */
class Footnotes {
  private readonly texts: string[] = [];
  /** Per footnote, the contestants and functions it concerns (for the footnote line). */
  private readonly where = new Map<number, Map<string, Set<string>>>();

  mark(text: string, contestant: string, fn: string): string {
    let i = this.texts.indexOf(text);
    if (i < 0) {
      this.texts.push(text);
      i = this.texts.length - 1;
    }
    const byContestant = this.where.get(i) ?? new Map<string, Set<string>>();
    const fns = byContestant.get(contestant) ?? new Set<string>();
    fns.add(fn);
    byContestant.set(contestant, fns);
    this.where.set(i, byContestant);
    return `[^${i + 1}]`;
  }

  lines(): string[] {
    return this.texts.map((t, i) => {
      const who = [...(this.where.get(i) ?? new Map<string, Set<string>>())]
        .map(([c, fns]) => `${c}: ${[...fns].join(", ")}`)
        .join("; ");
      return `[^${i + 1}]: ${t} (${who})`;
    });
  }
}

function cellText(
  cell: Cell | undefined,
  ratio: number | undefined,
  c: ContestantInfo,
  r: CaseResult,
  notes: Footnotes,
): string {
  if (!cell) return "";
  if ("unsupported" in cell) return `–${notes.mark(cell.unsupported, c.label, r.fn)}`;
  if ("failed" in cell) return `failed${notes.mark(cell.failed, c.label, r.fn)}`;
  let text = ratio === undefined ? fmtMs(cell.medianMs) : fmtRatio(ratio);
  for (const note of r.notes[c.id] ?? []) text += notes.mark(note, c.label, r.fn);
  const a = r.agreement?.[c.id];
  if (a && !a.agrees) {
    text += ` ✗${notes.mark(`values differ from nnkit's beyond the tolerance (worst at element ${a.worst.index}: nnkit ${a.worst.nnkit}, peer ${a.worst.peer})`, c.label, r.fn)}`;
  }
  return text;
}

function table(report: BenchReport, regime: Regime, log2n: number, notes: Footnotes): string[] {
  const peers = report.contestants.filter((c) => c.kind === "peer" && c.regimes.includes(regime));
  const rows = report.cases.filter((r) => r.regime === regime && r.log2n === log2n);
  if (rows.length === 0) return [];
  const head = [
    "function",
    "nnkit ms (min–max)",
    "copy ms",
    "fresh copy ms",
    "nnkit / copy",
    ...peers.map((p) => p.label),
  ];
  const out = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ];
  for (const r of rows) {
    const nn = r.cells.nnkit;
    const copy = r.cells.copy;
    const fresh = r.cells["fresh-copy"];
    const nnText = isMeasured(nn)
      ? `${fmtMs(nn.medianMs)} (${fmtMs(nn.minMs)}–${fmtMs(nn.maxMs)})`
      : "–";
    const cells = [
      r.fn,
      nnText,
      isMeasured(copy) ? fmtMs(copy.medianMs) : "–",
      isMeasured(fresh) ? fmtMs(fresh.medianMs) : "–",
      r.nnkitOverCopy === null ? "–" : fmtRatio(r.nnkitOverCopy),
      ...peers.map((p) => cellText(r.cells[p.id], r.ratios[p.id], p, r, notes)),
    ];
    out.push(`| ${cells.join(" | ")} |`);
  }
  return out;
}

/** For each function at one size and regime: the fastest peer and the ORT kernel, vs nnkit. */
function headline(report: BenchReport, regime: Regime, log2n: number): string[] {
  const rows = report.cases.filter((r) => r.regime === regime && r.log2n === log2n);
  if (rows.length === 0) return [];
  const label = (id: string) => report.contestants.find((c) => c.id === id)?.label ?? id;
  const hasKernel = report.contestants.some((c) => c.id === "ort-node-kernel");
  const head = ["function", "nnkit ms", "nnkit / copy", "fastest peer", "peer / nnkit"];
  if (hasKernel) head.push("ORT node kernel / nnkit");
  const out = [
    `| ${head.join(" | ")} |`,
    `|---|${head
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
  ];
  for (const r of rows) {
    const nn = r.cells.nnkit;
    const ordinary = Object.entries(r.ratios).filter(([id]) => id !== "ort-node-kernel");
    const best = ordinary.sort((a, b) => a[1] - b[1])[0];
    const kernel = r.ratios["ort-node-kernel"];
    const cells = [
      r.fn,
      isMeasured(nn) ? fmtMs(nn.medianMs) : "–",
      r.nnkitOverCopy === null ? "–" : fmtRatio(r.nnkitOverCopy),
      best ? label(best[0]) : "–",
      best ? fmtRatio(best[1]) : "–",
    ];
    if (hasKernel) cells.push(kernel === undefined ? "–" : fmtRatio(kernel));
    out.push(`| ${cells.join(" | ")} |`);
  }
  return out;
}

function settingsLines(report: BenchReport): string[] {
  const m = report.machine;
  const s = report.settings;
  const mo = s.measure;
  return [
    `- **Machine**: ${m.cpu}, ${m.logicalCores} logical cores, ${m.memoryGiB} GiB; ${m.os}; Node ${m.node} (V8 ${m.v8}); nnkit ${m.nnkitCommit}.`,
    `- **Run**: \`${report.command}\` on ${report.createdAt.slice(0, 10)}, ${report.totalSeconds.toFixed(0)} s in all${s.quick ? " (quick smoke run: few samples, small sizes — not for conclusions)" : ""}.`,
    `- **Input**: ${s.dtype}, N elements uniform in [${s.inputRange[0]}, ${s.inputRange[1]}) (fixed seed, no exact 0), the same bytes for every contestant; softmax, softmin, logSoftmax and glu work on rows of ${s.row} (shape N/${s.row} × ${s.row}); MLX's default parameters, prelu with one weight 0.25.`,
    `- **Timing**: warm-up of at least ${mo.warmup} call(s) and ${mo.warmupMs} ms (at most ${mo.warmupMaxMs} ms unless one call takes longer), then up to ${mo.runs} samples per contestant (at least ${mo.minRuns}; fewer than ${mo.runs} only when they would take over ${mo.budgetMs} ms), contestants interleaved round by round with a rotating start; calls shorter than ${mo.minSampleMs} ms are batched (up to ${mo.maxBatch} a sample) and divided. Median, with min–max of the samples${s.gcBetweenCases ? "; garbage collected between cases and before every unbatched sample" : ""}.`,
    `- **Check**: at sizes up to 2^${s.checkMaxLog2}, every peer's values are compared with nnkit's (|peer − nnkit| ≤ ${s.tolerance.rel}·|nnkit| + ${s.tolerance.abs}); a ✗ marks a disagreement.`,
  ];
}

/** Per peer: how close its values came to nnkit's over every function and size compared. */
function agreementLines(report: BenchReport): string[] {
  const out = [
    `| peer | functions compared | largest relative difference (where \\|nnkit\\| ≥ ${REL_FLOOR}) | functions above ${ACCURACY_NOTE} | beyond the tolerance |`,
    "|---|---:|---|---|---|",
  ];
  for (const c of report.contestants.filter((x) => x.kind === "peer")) {
    const fns = new Set<string>();
    let worst: { rel: number; where: string } | undefined;
    const loose = new Map<string, number>();
    const bad = new Set<string>();
    for (const r of report.cases) {
      const a = r.agreement?.[c.id];
      if (!a) continue;
      fns.add(r.fn);
      if (!worst || a.maxRelErr > worst.rel)
        worst = { rel: a.maxRelErr, where: `${r.fn}, 2^${r.log2n}` };
      if (a.maxRelErr > ACCURACY_NOTE) loose.set(r.fn, Math.max(loose.get(r.fn) ?? 0, a.maxRelErr));
      if (!a.agrees) bad.add(r.fn);
    }
    if (fns.size === 0) continue;
    const looseText = [...loose].map(([f, e]) => `${f} (${e.toExponential(1)})`).join(", ");
    out.push(
      `| ${c.label} | ${fns.size} | ${worst ? `${worst.rel.toExponential(1)} (${worst.where})` : "–"} | ${looseText || "none"} | ${[...bad].join(", ") || "none"} |`,
    );
  }
  return out;
}

function contestantLines(report: BenchReport): string[] {
  const out = ["| column | packages | settings |", "|---|---|---|"];
  for (const c of report.contestants) {
    const settings = Object.entries(c.settings)
      .map(([k, v]) => `${k}: ${v}`)
      .join("; ");
    out.push(
      `| ${c.label} | ${c.packages} | ${c.unavailable ? `**unavailable**: ${c.unavailable}` : settings} |`,
    );
  }
  return out;
}

export const HOW_TO_READ = [
  "- **nnkit / copy**: nnkit's median over the median time of copying the same bytes (input into a preallocated output, `Float32Array.prototype.set`). 1× would be as fast as memory allows; it says how much work per byte nnkit does beyond moving it.",
  "- **fresh copy**: the same copy into a newly allocated `Float32Array` every call: what producing a new JS array of that size costs on this machine, first-touch page faults included. A library that allocates its output per call (nnkit's CPU backend does, and `data()` returns a fresh copy) cannot beat it; one that reuses memory (a pool, a wasm heap, ONNX Runtime's arena) can.",
  "- **Peer columns**: the peer's median over nnkit's median in the same regime, size and run. **Below 1× the peer is faster** (0.5× = twice as fast as nnkit); above 1× nnkit is faster.",
  "- **ORT node** is ONNX Runtime's ordinary `await session.run(feeds)`, which always returns its result in a JS typed array, so it does the same work in both regimes. **ORT node kernel** (kept tables only) is the same runtime's own profiler time for the kernel(s) alone, without the call around it: what a native library achieves on this machine, with ONNX Runtime's default threads.",
  "- **–** means the peer has no such function (or regime); the footnote says why. Nothing is rebuilt from smaller ops on the bench's side.",
];

export function toMarkdown(report: BenchReport): string {
  const notes = new Footnotes();
  const s = report.settings;
  const largest = Math.max(...s.sizesLog2);
  const lines: string[] = [
    "# nnkit activation benchmark",
    "",
    ...settingsLines(report),
    "",
    "## How to read",
    "",
    ...HOW_TO_READ,
    "",
  ];
  const firstRegime = s.regimes[0];
  if (firstRegime) {
    lines.push(
      `## Headline: N = 2^${largest}, ${REGIME_TITLE[firstRegime]}`,
      "",
      ...headline(report, firstRegime, largest),
      "",
    );
  }
  for (const regime of s.regimes) {
    for (const log2n of s.sizesLog2) {
      const t = table(report, regime, log2n, notes);
      if (t.length === 0) continue;
      lines.push(`## ${REGIME_TITLE[regime]}, N = 2^${log2n}`, "", ...t, "");
    }
  }
  lines.push("## Contestants", "", ...contestantLines(report), "");
  if (report.cases.some((r) => r.agreement)) {
    lines.push(
      `## Agreement with nnkit (sizes up to 2^${s.checkMaxLog2})`,
      "",
      ...agreementLines(report),
      "",
    );
  }
  const fl = notes.lines();
  if (fl.length > 0) lines.push("## Notes", "", ...fl, "");
  return lines.join("\n");
}

export function toJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 1)}\n`;
}

/** The part of the report the README shows: settings, how to read, the headline and the largest tables. */
export function readmeBlock(report: BenchReport): string {
  const notes = new Footnotes();
  const s = report.settings;
  const largest = Math.max(...s.sizesLog2);
  const lines: string[] = [...settingsLines(report), ""];
  for (const regime of s.regimes) {
    const t = table(report, regime, largest, notes);
    if (t.length > 0) lines.push(`### ${REGIME_TITLE[regime]}, N = 2^${largest}`, "", ...t, "");
  }
  const fl = notes.lines();
  if (fl.length > 0) lines.push(...fl, "");
  lines.push(
    "All sizes (2^10 … 2^24) and the raw numbers: [results/latest.md](results/latest.md), [results/latest.json](results/latest.json).",
  );
  return lines.join("\n");
}
