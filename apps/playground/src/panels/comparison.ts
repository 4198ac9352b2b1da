import type { BackendStatus } from "../backends/init.js";
import { byId, el, setChildren } from "../dom.js";
import type { PlotController, PlotOutcome } from "../plot/controller.js";
import { formatDiff, formatValue } from "../plot/format.js";

/**
 * The plot computed on both backends: per function the largest |WebGPU − CPU| and the largest
 * difference in float32 ulps, and the largest over all. With one backend, says why.
 */
export function mountComparison(
  controller: PlotController,
  statuses: readonly BackendStatus[],
): void {
  const root = byId("comparison");
  const render = (o: PlotOutcome) => {
    const rows = o.comparison;
    if (!rows) {
      const missing = statuses.filter((s) => !s.initialized);
      setChildren(
        root,
        el(
          "p",
          { class: "muted" },
          "Comparing needs both backends; ",
          missing.length > 0
            ? missing
                .map((s) => `${s.name} is not available (${s.error ?? "no reason given"})`)
                .join("; ")
            : "only one initialised",
          ".",
        ),
      );
      return;
    }
    const valid = rows.filter((r) => r.error === undefined);
    const worst = valid.reduce<(typeof rows)[number] | undefined>(
      (w, r) => (w === undefined || r.maxAbsDiff > w.maxAbsDiff ? r : w),
      undefined,
    );
    setChildren(
      root,
      el(
        "p",
        { id: "largest-difference" },
        "Each plotted function is also computed on the other backend. Largest |WebGPU − CPU|: ",
        el("strong", {}, worst ? formatDiff(worst.maxAbsDiff) : "—"),
        worst ? ` (${worst.name} at x = ${formatValue(worst.atX)}, ${worst.maxUlp} ulp)` : "",
      ),
      el(
        "table",
        { class: "compare" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            el("th", {}, "function"),
            el("th", {}, "max |WebGPU − CPU|"),
            el("th", {}, "max ulp"),
            el("th", {}, "at x"),
          ),
        ),
        el(
          "tbody",
          {},
          ...rows.map((r) =>
            el(
              "tr",
              { "data-fn": r.name },
              el("td", {}, r.name),
              el("td", {}, r.error ? r.error : formatDiff(r.maxAbsDiff)),
              el("td", {}, r.error ? "" : String(r.maxUlp)),
              el("td", {}, r.error ? "" : formatValue(r.atX)),
            ),
          ),
        ),
      ),
    );
  };
  controller.onOutcome(render);
}
