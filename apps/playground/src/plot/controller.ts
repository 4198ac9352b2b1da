import { compareResults, type SeriesComparison } from "../compute/compare.js";
import { computePlot, type PlotResult } from "../compute/series.js";
import type { PlaygroundState } from "../state/state.js";
import type { Store } from "../state/store.js";
import { seriesColor } from "./colors.js";
import type { LineChart } from "./line-chart.js";

/** What one refresh produced: the plotted result and, with two backends, their comparison. */
export interface PlotOutcome {
  readonly state: PlaygroundState;
  readonly result: PlotResult | undefined;
  /** WebGPU against the CPU, per function; undefined with a single backend. */
  readonly comparison: readonly SeriesComparison[] | undefined;
  /** A failure of the whole computation (a lost device, say); per-function errors are in `result`. */
  readonly error: string | undefined;
}

type Listener = (outcome: PlotOutcome) => void;

/** The chart's value for a result: finite numbers, null where there is none (NaN, ±inf, glu's right half). */
function chartValues(y: readonly number[], points: number): (number | null)[] {
  return Array.from({ length: points }, (_, i) => {
    const v = y[i];
    return v !== undefined && Number.isFinite(v) ? v : null;
  });
}

/**
 * Recomputes the plot whenever the plotted functions, their parameters, the range or the device
 * change. Changes that arrive while a computation runs (a dragged slider) are coalesced: when it
 * finishes, one more runs for the latest state. Nothing is computed while another tab is shown
 * (a benchmark must not share the GPU with the plot); returning to the plot catches up.
 * `settled()` resolves once the chart shows the current state, or at once on another tab.
 */
export class PlotController {
  private running = false;
  private dirty = false;
  private waiters: (() => void)[] = [];
  private readonly listeners: Listener[] = [];
  private last: PlotOutcome | undefined;

  constructor(
    private readonly store: Store,
    private readonly chart: LineChart,
    /** Backends that initialised: with both, every plot is also computed on the other. */
    private readonly usable: readonly string[],
  ) {
    store.subscribe((s, prev) => {
      if (
        s.functions !== prev.functions ||
        s.device !== prev.device ||
        s.xMin !== prev.xMin ||
        s.xMax !== prev.xMax
      ) {
        this.refresh();
      } else if (s.tab === "plot" && prev.tab !== "plot" && this.dirty) {
        this.refresh();
      }
    });
  }

  get outcome(): PlotOutcome | undefined {
    return this.last;
  }

  onOutcome(listener: Listener): void {
    this.listeners.push(listener);
  }

  refresh(): void {
    this.dirty = true;
    if (!this.running && this.visible) void this.loop();
  }

  private get visible(): boolean {
    return this.store.state.tab === "plot";
  }

  /** Resolves when no computation is pending and the chart shows the current state. */
  settled(): Promise<void> {
    if (!this.running && (!this.dirty || !this.visible)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.dirty && this.visible) {
        this.dirty = false;
        const outcome = await this.compute(this.store.state);
        this.last = outcome;
        this.draw(outcome);
        for (const l of this.listeners) l(outcome);
      }
    } finally {
      this.running = false;
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w();
    }
  }

  private async compute(state: PlaygroundState): Promise<PlotOutcome> {
    const run = (device: string) => computePlot(device, state.functions, state.xMin, state.xMax);
    try {
      const result = await run(state.device);
      let comparison: SeriesComparison[] | undefined;
      if (this.usable.includes("cpu") && this.usable.includes("webgpu")) {
        const other = await run(state.device === "cpu" ? "webgpu" : "cpu");
        const [cpu, webgpu] = state.device === "cpu" ? [result, other] : [other, result];
        comparison = compareResults(cpu, webgpu);
      }
      return { state, result, comparison, error: undefined };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      return { state, result: undefined, comparison: undefined, error };
    }
  }

  private draw(outcome: PlotOutcome): void {
    const r = outcome.result;
    if (!r) return;
    const lines = r.series.map((s, i) => ({
      label: s.name,
      color: seriesColor(i),
      y: chartValues(s.y, r.x.length),
    }));
    this.chart.show(r.x, lines);
  }
}
