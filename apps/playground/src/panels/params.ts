import { findFunction, type ParamControl, PLOT_AXES, paramControls } from "../catalog/functions.js";
import { byId, el, setChildren } from "../dom.js";
import type { PlaygroundState } from "../state/state.js";
import type { Store } from "../state/store.js";

function setParam(store: Store, fn: string, name: string, value: number): void {
  store.update((s) => ({
    ...s,
    functions: s.functions.map((f) =>
      f.name === fn ? { ...f, params: { ...f.params, [name]: value } } : f,
    ),
  }));
}

function currentValue(s: PlaygroundState, fn: string, c: ParamControl): number {
  return s.functions.find((f) => f.name === fn)?.params[c.name] ?? c.default;
}

/** An axis: a select over the plot input's axes (see compute/plot-input.ts). */
function axisControl(store: Store, fn: string, c: ParamControl): HTMLElement {
  const value = currentValue(store.state, fn, c);
  const select = el(
    "select",
    { id: `param-${c.name}`, "data-param": c.name },
    ...PLOT_AXES.map((a) =>
      el(
        "option",
        { value: a, selected: a === value },
        `${a}${a === -1 || a === 1 ? " (along the row)" : " (down each column)"}`,
      ),
    ),
  );
  select.addEventListener("change", () => setParam(store, fn, c.name, Number(select.value)));
  return el("label", { class: "param" }, el("span", {}, c.name), select);
}

/**
 * A number: a slider for dragging and a number box for exact values (which may go beyond the
 * slider's range); each keeps the other in step.
 */
function numberControl(store: Store, fn: string, c: ParamControl): HTMLElement {
  const value = currentValue(store.state, fn, c);
  const slider = el("input", {
    type: "range",
    id: `param-${c.name}-slider`,
    "data-param": c.name,
    min: c.min,
    max: c.max,
    step: c.step,
    value,
    "aria-label": `${c.name} slider`,
  });
  const box = el("input", {
    type: "number",
    id: `param-${c.name}`,
    "data-param": c.name,
    step: c.step,
    value,
    "aria-label": c.name,
  });
  slider.addEventListener("input", () => {
    box.value = slider.value;
    setParam(store, fn, c.name, Number(slider.value));
  });
  box.addEventListener("input", () => {
    const v = box.valueAsNumber;
    if (!Number.isFinite(v)) return;
    slider.value = String(v);
    setParam(store, fn, c.name, v);
  });
  return el(
    "div",
    { class: "param" },
    el("label", { for: `param-${c.name}` }, c.name),
    slider,
    box,
    el("span", { class: "muted" }, `default ${c.default}`),
    c.note ? el("p", { class: "hint" }, c.note) : null,
  );
}

/** The parameters of the function being edited, with MLX's defaults and a reset button. */
export function mountParams(store: Store): void {
  const root = byId("params");
  const render = () => {
    const fn = store.state.editing;
    const info = fn === undefined ? undefined : findFunction(fn);
    if (!info || fn === undefined) {
      setChildren(root, el("p", { class: "muted" }, "Tick a function to plot it."));
      return;
    }
    const controls = paramControls(info);
    const reset = el("button", { type: "button", id: "reset-params" }, "MLX defaults");
    reset.addEventListener("click", () => {
      for (const c of controls) setParam(store, fn, c.name, c.default);
      render();
    });
    setChildren(
      root,
      el("h3", {}, `${info.name} `, el("span", { class: "muted" }, `mlx.nn.${info.mlxName}`)),
      controls.length === 0
        ? el("p", { class: "muted" }, "No parameters.")
        : el(
            "div",
            { class: "param-grid" },
            ...controls.map((c) =>
              c.kind === "axis" ? axisControl(store, fn, c) : numberControl(store, fn, c),
            ),
          ),
      controls.length > 0 ? reset : null,
    );
  };
  // Only a different function (or a different set of plotted ones) rebuilds the controls; a
  // parameter change must not, or a dragged slider would lose the pointer.
  store.subscribe((s, prev) => {
    const names = (st: PlaygroundState) => st.functions.map((f) => f.name).join();
    if (s.editing !== prev.editing || names(s) !== names(prev)) render();
  });
  render();
}
