import { byId, el, setChildren } from "../dom.js";
import { runSeed, seedSource } from "../example/seed.js";
import type { Store } from "../state/store.js";
import { copyButton } from "./code.js";

/** The result of the latest run, for the page API. */
export interface ExampleRun {
  readonly device: string;
  readonly output: string;
  readonly error?: string;
}

/**
 * MLX's seed example (random normal input, relu, glu, the ReLU Module), run on the selected
 * backend and printed as MLX prints. Runs when the tab is first shown, on "Run", and again when
 * the backend changes while the tab is open.
 */
export function mountExample(store: Store): { latest: () => Promise<ExampleRun | undefined> } {
  const root = byId("example");
  const source = el("pre", { class: "code", id: "example-source" });
  const output = el("pre", { class: "output", id: "example-output", "data-state": "idle" });
  const run = el("button", { type: "button", id: "example-run" }, "Run");
  let latest: Promise<ExampleRun> | undefined;

  const start = () => {
    const device = store.state.device;
    source.textContent = seedSource(device);
    output.dataset.state = "running";
    output.textContent = `running on ${device}…`;
    latest = runSeed(device).then(
      (text) => ({ device, output: text }),
      (e: unknown) => ({ device, output: "", error: e instanceof Error ? e.message : String(e) }),
    );
    const mine = latest;
    void mine.then((r) => {
      if (mine !== latest) return;
      output.textContent = r.error ? `error: ${r.error}` : r.output;
      output.dataset.state = r.error ? "error" : "done";
      output.dataset.device = r.device;
    });
  };
  run.addEventListener("click", start);
  store.subscribe((s, prev) => {
    const opened = s.tab === "example" && prev.tab !== "example" && latest === undefined;
    const deviceChanged = s.tab === "example" && s.device !== prev.device;
    if (opened || deviceChanged) start();
  });
  source.textContent = seedSource(store.state.device);
  setChildren(
    root,
    el("h2", {}, "MLX example"),
    el(
      "p",
      {},
      "The seed example of ",
      el("code", {}, "examples/seed.ts"),
      " (",
      el("code", {}, "pnpm --filter @nnkit/examples run seed"),
      " runs it in Node), on the selected backend, printed as MLX prints arrays.",
    ),
    el(
      "div",
      { class: "row" },
      run,
      copyButton(() => source.textContent ?? ""),
    ),
    source,
    el("h3", {}, "Output"),
    output,
  );
  if (store.state.tab === "example") start();
  return { latest: () => latest ?? Promise.resolve(undefined) };
}
