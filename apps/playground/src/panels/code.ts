import { plotCode } from "../code/plot-code.js";
import { byId, el, setChildren } from "../dom.js";
import type { Store } from "../state/store.js";

/** Copies text, reporting the outcome in `status` (clipboard access can be refused). */
export function copyButton(text: () => string): HTMLElement {
  const status = el("span", { class: "muted", role: "status" });
  const button = el("button", { type: "button" }, "Copy");
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(text()).then(
      () => {
        status.textContent = " copied";
      },
      (e: unknown) => {
        status.textContent = ` could not copy: ${e instanceof Error ? e.message : String(e)}`;
      },
    );
  });
  return el("span", { class: "copy" }, button, status);
}

/** The TypeScript that computes the current plot, kept in step with the state. */
export function mountCode(store: Store): void {
  const root = byId("code");
  const pre = el("pre", { class: "code", id: "plot-code" });
  const render = () => {
    pre.textContent = plotCode(store.state);
  };
  store.subscribe((s, prev) => {
    if (
      s.functions !== prev.functions ||
      s.device !== prev.device ||
      s.xMin !== prev.xMin ||
      s.xMax !== prev.xMax
    ) {
      render();
    }
  });
  render();
  setChildren(
    root,
    copyButton(() => pre.textContent ?? ""),
    pre,
  );
}
