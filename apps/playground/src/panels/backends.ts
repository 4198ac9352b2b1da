import type { BackendStatus } from "../backends/init.js";
import { byId, el, setChildren } from "../dom.js";
import type { Store } from "../state/store.js";

const TITLES: Readonly<Record<string, string>> = { cpu: "CPU", webgpu: "WebGPU" };

function statusLine(s: BackendStatus): HTMLElement {
  const what = s.initialized
    ? [
        s.description ? `initialised: ${s.description}` : "initialised",
        s.isDefault ? " (default)" : "",
      ]
    : [`not available: ${s.error ?? "it did not initialise"}`];
  return el(
    "li",
    { class: s.initialized ? "ok" : "failed", "data-backend": s.name },
    el("strong", {}, s.name),
    " ",
    ...what,
  );
}

/**
 * The backend switch (which backend computes the plot and the MLX example) and what the
 * registry reported: which backends initialised, how each computes (the WebGPU adapter, the
 * CPU's threads), and why one did not.
 */
export function mountBackends(
  store: Store,
  statuses: readonly BackendStatus[],
  /** The device the page's URL asked for, if any (the store may have replaced it). */
  requested: string | null,
): void {
  const root = byId("backends");
  const switcher = el("div", { class: "switch", role: "radiogroup", "aria-label": "Backend" });
  const list = el("ul", { class: "status", id: "backend-status" }, ...statuses.map(statusLine));
  const note = el("p", { class: "muted", id: "backend-note" });

  const render = () => {
    setChildren(
      switcher,
      ...statuses.map((s) => {
        const input = el("input", {
          type: "radio",
          name: "device",
          value: s.name,
          id: `device-${s.name}`,
          checked: store.state.device === s.name,
          disabled: !s.initialized,
        });
        input.addEventListener("change", () => {
          if (input.checked) store.update((st) => ({ ...st, device: s.name }));
        });
        return el(
          "label",
          { for: `device-${s.name}`, title: s.error ?? `compute on ${s.name}` },
          input,
          TITLES[s.name] ?? s.name,
        );
      }),
    );
  };
  if (requested !== null && requested !== store.state.device) {
    note.textContent = `The link asked for "${requested}", which is not available here; using ${store.state.device}.`;
  }
  store.subscribe((s, prev) => {
    if (s.device !== prev.device) render();
  });
  render();
  setChildren(root, switcher, list, note);
}
