import { FUNCTIONS } from "../catalog/functions.js";
import { byId, el, setChildren } from "../dom.js";
import { plotted } from "../state/state.js";
import type { Store } from "../state/store.js";

/**
 * All 27 functions, from nn-functions' catalog: a checkbox overlays one on the plot, its name
 * selects it for parameter editing (adding it to the plot if needed).
 */
export function mountFunctionList(store: Store): void {
  const list = byId("function-list");

  const toggle = (name: string, on: boolean) =>
    store.update((s) => {
      if (on) {
        const f = plotted(name);
        if (!f || s.functions.some((g) => g.name === name)) return s;
        return { ...s, functions: [...s.functions, f], editing: name };
      }
      const functions = s.functions.filter((g) => g.name !== name);
      const editing = s.editing === name ? functions[0]?.name : s.editing;
      return { ...s, functions, editing };
    });

  const edit = (name: string) =>
    store.update((s) => {
      const f = plotted(name);
      if (!f) return s;
      const functions = s.functions.some((g) => g.name === name)
        ? s.functions
        : [...s.functions, f];
      return { ...s, functions, editing: name };
    });

  const render = () => {
    const s = store.state;
    setChildren(
      list,
      ...FUNCTIONS.map((info) => {
        const on = s.functions.some((f) => f.name === info.name);
        const box = el("input", {
          type: "checkbox",
          id: `fn-${info.name}`,
          checked: on,
          "aria-label": `plot ${info.name}`,
        });
        box.addEventListener("change", () => toggle(info.name, box.checked));
        const name = el(
          "button",
          {
            type: "button",
            class: "fn-name",
            "data-fn": info.name,
            "aria-pressed": s.editing === info.name ? "true" : "false",
            title: info.formula,
          },
          info.name,
        );
        name.addEventListener("click", () => edit(info.name));
        return el(
          "li",
          { class: s.editing === info.name ? "editing" : undefined },
          box,
          name,
          info.params.length > 0
            ? el("span", { class: "has-params", title: "has parameters" }, "⚙")
            : null,
        );
      }),
    );
  };
  store.subscribe((s, prev) => {
    if (s.functions !== prev.functions || s.editing !== prev.editing) render();
  });
  render();
}
