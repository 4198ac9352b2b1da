import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatValue } from "./format.js";

/** One line of a chart: y[i] at x[i], null where there is no value. */
export interface LineSeries {
  readonly label: string;
  readonly color: string;
  readonly y: readonly (number | null)[];
}

export interface LineChartOptions {
  readonly xLabel: string;
  readonly yLabel: string;
  readonly height: number;
  /** Formats x in the axis and the read-out. */
  readonly formatX?: (x: number) => string;
  /** Draw a dot at every point (sparse data such as benchmark sizes). */
  readonly points?: boolean;
  /** Ticks only at whole x values (x is an exponent, such as log2 of a size). */
  readonly integerX?: boolean;
  /** Fixed x range; otherwise the data's. */
  readonly xRange?: () => [number, number];
}

/**
 * A uPlot line chart that keeps its size to its container's width. The live legend under the
 * plot is the crosshair read-out: x and every series' value at the cursor. `show` reuses the
 * chart when only the data changed and rebuilds it when the set of lines did.
 */
export class LineChart {
  private plot: uPlot | undefined;
  private shape = "";
  private readonly resize: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: LineChartOptions,
  ) {
    this.resize = new ResizeObserver(() => {
      this.plot?.setSize({ width: this.width(), height: this.options.height });
    });
    this.resize.observe(container);
  }

  /** The data the chart draws now: [x, y of each line], as given to uPlot. */
  get data(): uPlot.AlignedData | undefined {
    return this.plot?.data;
  }

  show(x: readonly number[], lines: readonly LineSeries[]): void {
    const data: uPlot.AlignedData = [x.slice(), ...lines.map((l) => l.y.slice())];
    const shape = JSON.stringify(lines.map((l) => [l.label, l.color]));
    if (this.plot && shape === this.shape) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.shape = shape;
    this.plot = new uPlot(this.makeOptions(lines), data, this.container);
  }

  private width(): number {
    return Math.max(240, this.container.clientWidth);
  }

  private makeOptions(lines: readonly LineSeries[]): uPlot.Options {
    const fx = this.options.formatX ?? ((v: number) => formatValue(v));
    const xRange = this.options.xRange;
    return {
      width: this.width(),
      height: this.options.height,
      // Dragging would zoom; the x range belongs to the controls (and the URL) instead.
      cursor: { drag: { x: false, y: false, setScale: false } },
      scales: {
        x: { time: false, ...(xRange ? { range: () => xRange() } : {}) },
        y: { auto: true },
      },
      axes: [
        {
          label: this.options.xLabel,
          values: (_u, ticks) => ticks.map(fx),
          ...(this.options.integerX ? { incrs: [1, 2, 4, 8] } : {}),
        },
        { label: this.options.yLabel, size: 60 },
      ],
      series: [
        { label: this.options.xLabel, value: (_u, v) => (v === null ? "—" : fx(v)) },
        ...lines.map(
          (l): uPlot.Series => ({
            label: l.label,
            stroke: l.color,
            width: 2,
            value: (_u, v) => formatValue(v),
            points: { show: this.options.points ?? false, size: 6, fill: l.color },
          }),
        ),
      ],
    };
  }
}
