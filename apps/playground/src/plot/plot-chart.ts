import type { Store } from "../state/store.js";
import { LineChart } from "./line-chart.js";

/** The function plot: y against x over the state's range, 420 px tall. */
export function createPlotChart(container: HTMLElement, store: Store): LineChart {
  return new LineChart(container, {
    xLabel: "x",
    yLabel: "y",
    height: 420,
    xRange: () => [store.state.xMin, store.state.xMax],
  });
}
