import { BENCH_ROW, BenchCancelled, type BenchPoint, runBenchmark } from "../bench/run.js";
import { FUNCTIONS } from "../catalog/functions.js";
import { byId, el, setChildren } from "../dom.js";
import { seriesColor } from "../plot/colors.js";
import { formatValue } from "../plot/format.js";
import { LineChart } from "../plot/line-chart.js";
import { BENCH_LOG2_MAX, BENCH_LOG2_MIN } from "../state/state.js";
import type { Store } from "../state/store.js";

export type BenchStatus = "idle" | "running" | "done" | "cancelled" | "error";

/** What the benchmark tab holds, for the page API. */
export interface BenchState {
  readonly status: BenchStatus;
  readonly points: readonly BenchPoint[];
  readonly error?: string;
}

const LOG2_SIZES = Array.from(
  { length: BENCH_LOG2_MAX - BENCH_LOG2_MIN + 1 },
  (_, i) => BENCH_LOG2_MIN + i,
);
const SECONDS_PER_SIZE = [0.05, 0.25, 1] as const;

function select(id: string, options: readonly (readonly [string, string])[], value: string) {
  return el(
    "select",
    { id },
    ...options.map(([v, text]) => el("option", { value: v, selected: v === value }, text)),
  );
}

/**
 * The benchmark tab: runs a function over sizes 2^a … 2^b on every backend that initialised,
 * with a progress bar and a cancel button, and charts throughput (GB/s) against size.
 */
export function mountBench(store: Store, backends: readonly string[]): { state: () => BenchState } {
  const root = byId("bench");
  const b = store.state.bench;
  const fn = select(
    "bench-fn",
    FUNCTIONS.map((f) => [f.name, f.name] as const),
    b.fn,
  );
  const sizeOptions = LOG2_SIZES.map((k) => [String(k), `2^${k}`] as const);
  const from = select("bench-from", sizeOptions, String(b.fromLog2));
  const to = select("bench-to", sizeOptions, String(b.toLog2));
  const time = select(
    "bench-time",
    SECONDS_PER_SIZE.map((t) => [String(t), `${t} s`] as const),
    "0.25",
  );
  const start = el("button", { type: "button", id: "bench-run" }, "Run");
  const cancel = el("button", { type: "button", id: "bench-cancel", disabled: true }, "Cancel");
  const progress = el("progress", { id: "bench-progress", max: 1, value: 0 });
  const status = el("span", { id: "bench-status", role: "status", "data-status": "idle" }, "idle");
  const chartBox = el("div", { class: "chart", id: "bench-chart" });
  const table = el("div", { id: "bench-table" });
  let state: BenchState = { status: "idle", points: [] };
  let controller: AbortController | undefined;

  const chart = new LineChart(chartBox, {
    xLabel: "elements",
    yLabel: "GB/s",
    height: 320,
    points: true,
    integerX: true,
    formatX: (k) => `2^${k}`,
  });

  const show = (points: readonly BenchPoint[]) => {
    const sizes = [...new Set(points.map((p) => p.log2Size))].sort((x, y) => x - y);
    const lines = backends.map((name, i) => ({
      label: name,
      color: seriesColor(i),
      y: sizes.map(
        (k) => points.find((p) => p.backend === name && p.log2Size === k)?.gbPerSecond ?? null,
      ),
    }));
    chart.show(sizes, lines);
    setChildren(
      table,
      el(
        "table",
        { class: "compare" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ...["backend", "elements", "calls", "ms per call", "GB/s"].map((h) => el("th", {}, h)),
          ),
        ),
        el(
          "tbody",
          {},
          ...points.map((p) =>
            el(
              "tr",
              { "data-backend": p.backend, "data-log2": p.log2Size },
              el("td", {}, p.backend),
              el("td", {}, `2^${p.log2Size}`),
              el("td", {}, String(p.reps)),
              el("td", {}, formatValue((p.seconds / p.reps) * 1000)),
              el("td", {}, formatValue(p.gbPerSecond)),
            ),
          ),
        ),
      ),
    );
  };

  const setStatus = (s: BenchStatus, text: string) => {
    status.dataset.status = s;
    status.textContent = text;
  };

  const saveChoice = () =>
    store.update((s) => {
      const lo = Number(from.value);
      const hi = Math.max(lo, Number(to.value));
      to.value = String(hi);
      return { ...s, bench: { fn: fn.value, fromLog2: lo, toLog2: hi } };
    });
  for (const control of [fn, from, to]) control.addEventListener("change", saveChoice);

  start.addEventListener("click", async () => {
    const { bench } = store.state;
    controller = new AbortController();
    const points: BenchPoint[] = [];
    state = { status: "running", points };
    start.disabled = true;
    cancel.disabled = false;
    progress.value = 0;
    show(points);
    try {
      await runBenchmark({
        fn: bench.fn,
        fromLog2: bench.fromLog2,
        toLog2: bench.toLog2,
        backends,
        secondsPerSize: Number(time.value),
        signal: controller.signal,
        onProgress: (done, total, current, point) => {
          progress.max = total;
          progress.value = done;
          setStatus("running", `${done} / ${total}${done < total ? `: ${current}` : ""}`);
          if (point) {
            points.push(point);
            show(points);
          }
        },
      });
      state = { status: "done", points };
      setStatus("done", `done: ${points.length} measurements`);
    } catch (e) {
      const cancelled = e instanceof BenchCancelled;
      const message = e instanceof Error ? e.message : String(e);
      state = {
        status: cancelled ? "cancelled" : "error",
        points,
        ...(cancelled ? {} : { error: message }),
      };
      setStatus(
        state.status,
        cancelled ? `cancelled after ${points.length} measurements` : `error: ${message}`,
      );
    } finally {
      start.disabled = false;
      cancel.disabled = true;
      controller = undefined;
    }
  });
  cancel.addEventListener("click", () => controller?.abort());

  setChildren(
    root,
    el("h2", {}, "Benchmark"),
    el(
      "p",
      {},
      `Runs a function with its default parameters on float32 inputs of 2^a … 2^b elements (functions that work along an axis get rows of ${BENCH_ROW}) on every backend that initialised: `,
      el("strong", {}, backends.join(", ")),
      ". Throughput counts the bytes read and written per call (input + output) over the time of repeated calls after one warm-up call, including one 4-byte read at the end that waits for the GPU. CPU runs block the page while they compute.",
    ),
    el(
      "div",
      { class: "row bench-controls" },
      el("label", {}, "function ", fn),
      el("label", {}, "from ", from),
      el("label", {}, "to ", to),
      el("label", {}, "time per size ", time),
      start,
      cancel,
    ),
    el("div", { class: "row" }, progress, status),
    chartBox,
    table,
  );
  return { state: () => state };
}
