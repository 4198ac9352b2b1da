import { byId, el, setChildren } from "../dom.js";
import type { Store } from "../state/store.js";

/** The plotted x range: two number boxes; a range that is empty or reversed is not applied. */
export function mountRange(store: Store): void {
  const root = byId("range");
  const min = el("input", { type: "number", id: "x-min", step: 0.5, value: store.state.xMin });
  const max = el("input", { type: "number", id: "x-max", step: 0.5, value: store.state.xMax });
  const problem = el("span", { class: "error", role: "status" });
  const apply = () => {
    const lo = min.valueAsNumber;
    const hi = max.valueAsNumber;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      problem.textContent = "x min must be below x max";
      return;
    }
    problem.textContent = "";
    store.update((s) => (s.xMin === lo && s.xMax === hi ? s : { ...s, xMin: lo, xMax: hi }));
  };
  min.addEventListener("change", apply);
  max.addEventListener("change", apply);
  setChildren(
    root,
    el("h3", {}, "Range"),
    el(
      "div",
      { class: "range" },
      el("label", {}, "x from ", min),
      el("label", {}, " to ", max),
      problem,
    ),
  );
}
