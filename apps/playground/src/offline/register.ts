import { byId } from "../dom.js";

/**
 * Registers the service worker (dist/sw.js) in production builds only: in development Vite
 * serves modules that change on every edit, and a cache in front of them would only confuse.
 * Resolves to a short status for the footer and the page API; failures are reported there, not
 * on the console.
 */
export async function registerServiceWorker(): Promise<string> {
  const footer = byId("offline-status");
  const report = (text: string) => {
    footer.textContent = text;
    return text;
  };
  if (!import.meta.env.PROD) return report("offline: off in development");
  if (!("serviceWorker" in navigator))
    return report("offline: this browser has no service workers");
  try {
    await navigator.serviceWorker.register("./sw.js");
    await navigator.serviceWorker.ready;
    return report("offline: ready (the page and its files are cached)");
  } catch (e) {
    return report(`offline: unavailable (${e instanceof Error ? e.message : String(e)})`);
  }
}
