import { findFunction, paramControls } from "../catalog/functions.js";
import { describePlot } from "../compute/plot-input.js";
import { byId, el, setChildren } from "../dom.js";
import { seriesColor } from "../plot/colors.js";
import type { PlotController, PlotOutcome } from "../plot/controller.js";

/**
 * For each plotted function: its call with the current parameters, MLX's name and formula (from
 * the catalog), what the curve means, and the library's error if the parameters are invalid.
 */
export function mountFormulas(controller: PlotController): void {
  const root = byId("formulas");
  const render = (o: PlotOutcome) => {
    const items = o.state.functions.flatMap((f, i) => {
      const info = findFunction(f.name);
      if (!info) return [];
      const args = paramControls(info).map((c) => `${c.name}=${f.params[c.name]}`);
      const error = o.result?.series.find((s) => s.name === f.name)?.error;
      return [
        el(
          "li",
          { "data-fn": f.name },
          el("span", { class: "swatch", style: `background:${seriesColor(i)}` }),
          el("code", { class: "call" }, `${f.name}(${["x", ...args].join(", ")})`),
          el("span", { class: "muted" }, ` mlx.nn.${info.mlxName}: `),
          el("code", {}, info.formula),
          el("p", { class: "hint" }, describePlot(info, f.params.axis)),
          error ? el("p", { class: "error", role: "alert" }, error) : null,
        ),
      ];
    });
    setChildren(
      root,
      o.error ? el("p", { class: "error", role: "alert" }, `Could not compute: ${o.error}`) : null,
      items.length > 0
        ? el("ul", { class: "formulas" }, ...items)
        : el("p", { class: "muted" }, "Nothing plotted."),
    );
  };
  controller.onOutcome(render);
}
