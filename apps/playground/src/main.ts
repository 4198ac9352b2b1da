import "./styles.css";
import { startBackends, usableBackends } from "./backends/init.js";
import { byId } from "./dom.js";
import { registerServiceWorker } from "./offline/register.js";
import { exposeApi } from "./page-api.js";
import { mountBackends } from "./panels/backends.js";
import { mountBench } from "./panels/bench.js";
import { mountCode } from "./panels/code.js";
import { mountComparison } from "./panels/comparison.js";
import { mountExample } from "./panels/example.js";
import { mountFormulas } from "./panels/formulas.js";
import { mountFunctionList } from "./panels/function-list.js";
import { mountParams } from "./panels/params.js";
import { mountRange } from "./panels/range.js";
import { mountTabs } from "./panels/tabs.js";
import { PlotController } from "./plot/controller.js";
import { createPlotChart } from "./plot/plot-chart.js";
import { normalizeState } from "./state/state.js";
import { Store } from "./state/store.js";
import { stateFromQuery } from "./state/url.js";

/** Starts the backends, restores the view from the URL, and mounts every panel. */
async function main(): Promise<void> {
  const { best, statuses } = await startBackends();
  const usable = usableBackends(statuses);
  const query = location.search;
  const store = new Store(normalizeState(stateFromQuery(query, best), usable, best));

  mountBackends(store, statuses, new URLSearchParams(query).get("device"));
  mountTabs(store);
  mountFunctionList(store);
  mountRange(store);
  mountParams(store);
  mountCode(store);

  const chart = createPlotChart(byId("chart"), store);
  const controller = new PlotController(store, chart, usable);
  mountFormulas(controller);
  mountComparison(controller, statuses);
  const bench = mountBench(store, usable);
  const example = mountExample(store);
  controller.refresh();

  exposeApi({
    state: () => store.state,
    statuses,
    controller,
    chart,
    bench: bench.state,
    example: example.latest,
    offline: registerServiceWorker(),
  });
  document.body.dataset.state = "ready";
}

main().catch((e: unknown) => {
  // Shown on the page rather than thrown: the page must not end in a console error.
  const message = `The playground could not start: ${e instanceof Error ? e.message : String(e)}`;
  document.body.dataset.state = "failed";
  document.body.dataset.error = message;
  const box = document.getElementById("backends");
  if (box) box.textContent = message;
});
