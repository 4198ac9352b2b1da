import { byId, el, setChildren } from "../dom.js";
import { TABS, type Tab } from "../state/state.js";
import type { Store } from "../state/store.js";

const TITLES: Readonly<Record<Tab, string>> = {
  plot: "Plot",
  bench: "Benchmark",
  example: "MLX example",
};

/** The tab bar: shows one of the tab panels (#tab-plot, #tab-bench, #tab-example). */
export function mountTabs(store: Store): void {
  const nav = byId("tabs");
  const render = () => {
    const current = store.state.tab;
    setChildren(
      nav,
      ...TABS.map((tab) => {
        const button = el(
          "button",
          {
            type: "button",
            role: "tab",
            id: `tab-button-${tab}`,
            "aria-selected": tab === current ? "true" : "false",
            "aria-controls": `tab-${tab}`,
          },
          TITLES[tab],
        );
        button.addEventListener("click", () => store.update((s) => ({ ...s, tab })));
        return button;
      }),
    );
    for (const tab of TABS) byId(`tab-${tab}`).hidden = tab !== current;
  };
  store.subscribe((s, prev) => {
    if (s.tab !== prev.tab) render();
  });
  render();
}
