import { type BackendStatus, type CpuStatus, cpuStatus, liveGpuBuffers } from "./backends/init.js";
import type { SeriesComparison } from "./compute/compare.js";
import type { BenchState } from "./panels/bench.js";
import type { ExampleRun } from "./panels/example.js";
import type { PlotController } from "./plot/controller.js";
import type { LineChart } from "./plot/line-chart.js";
import type { PlaygroundState } from "./state/state.js";

/** One plotted line as the chart holds it. */
export interface PlottedSeries {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
  readonly device: string;
  /** The library's result dtype and shape (row 0 of a 2-D result is plotted). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** The chart's x values and this line's y values (null: no point drawn, e.g. NaN). */
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
  readonly error?: string;
}

/**
 * `window.__nnkitPlayground`: a small read-only API over what the page shows, for the browser
 * test (apps/playground/test) and for anyone curious in the console. The plot's numbers come
 * from the chart's own data (what uPlot draws), never from pixels.
 */
export interface PlaygroundApi {
  /** Resolves once the plot (and the comparison) show the current state. */
  settled(): Promise<void>;
  state(): PlaygroundState;
  backends(): readonly BackendStatus[];
  series(): PlottedSeries[];
  comparison(): readonly SeriesComparison[] | undefined;
  bench(): BenchState;
  /** The latest run of the MLX example, once it has finished. */
  example(): Promise<ExampleRun | undefined>;
  /** The service worker's status line. */
  offline(): Promise<string>;
  /** WebGPU buffers alive now: 0 when idle, as the page disposes every array it makes. */
  liveGpuBuffers(): number | undefined;
  /** The CPU backend's storage and threads now. */
  cpu(): CpuStatus | undefined;
}

declare global {
  interface Window {
    __nnkitPlayground?: PlaygroundApi;
  }
}

export interface ApiSources {
  readonly state: () => PlaygroundState;
  readonly statuses: readonly BackendStatus[];
  readonly controller: PlotController;
  readonly chart: LineChart;
  readonly bench: () => BenchState;
  readonly example: () => Promise<ExampleRun | undefined>;
  readonly offline: Promise<string>;
}

function plottedSeries(s: ApiSources): PlottedSeries[] {
  const data = s.chart.data;
  const result = s.controller.outcome?.result;
  if (!data || !result) return [];
  const x = Array.from(data[0] as ArrayLike<number>);
  return result.series.map((r, i) => ({
    name: r.name,
    params: r.params,
    device: r.device,
    dtype: r.dtype,
    shape: r.shape,
    x,
    y: Array.from((data[i + 1] ?? []) as ArrayLike<number | null>),
    ...(r.error !== undefined ? { error: r.error } : {}),
  }));
}

export function exposeApi(s: ApiSources): void {
  window.__nnkitPlayground = {
    settled: () => s.controller.settled(),
    state: s.state,
    backends: () => s.statuses,
    series: () => plottedSeries(s),
    comparison: () => s.controller.outcome?.comparison,
    bench: s.bench,
    example: s.example,
    offline: () => s.offline,
    liveGpuBuffers,
    cpu: cpuStatus,
  };
}
