import { defineConfig } from "vite";
import { serviceWorker } from "./build/service-worker-plugin.js";

/**
 * Cross-origin isolation in development and `vite preview` too, so the page behaves as it does
 * under serve.mjs (future worker pools need SharedArrayBuffer, which needs isolation).
 */
const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  // Relative asset URLs: the built page works from any folder, not only a server's root.
  base: "./",
  build: { target: "es2022", sourcemap: true },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  plugins: [serviceWorker()],
});
