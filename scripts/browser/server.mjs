// A tiny static server for the browser test: scripts/browser/{index.html,page.js} and the
// packages' built files (packages/<name>/dist/**), nothing else. No dependencies.
//   node scripts/browser/server.mjs [port]   serves until stopped (open the printed URL)
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** The file a URL path maps to, or undefined when it is not one this server serves. */
function resolve(urlPath) {
  const path = decodeURIComponent(urlPath.split("?")[0]);
  if (path === "/" || path === "/index.html") return join(here, "index.html");
  if (path === "/page.js") return join(here, "page.js");
  const m = /^\/packages\/([a-z0-9-]+)\/dist\/(.+)$/.exec(path);
  if (!m) return undefined;
  const dist = join(root, "packages", m[1], "dist");
  const file = normalize(join(dist, m[2]));
  return file.startsWith(dist + sep) ? file : undefined;
}

/**
 * Starts the server on 127.0.0.1 (`port` 0 picks a free one). Resolves to its URL and a close
 * function. Every request it could not serve is recorded in `missing` (a test asserts none).
 */
export function startServer(port = 0) {
  const missing = [];
  const server = createServer((req, res) => {
    const file = req.method === "GET" ? resolve(req.url ?? "/") : undefined;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      missing.push(`${req.method} ${req.url}`);
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${actual}/`,
        missing,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** The dist entry points index.html imports; the test checks they were built. */
export const ENTRY_POINTS = ["core", "kernels-cpu", "kernels-webgpu", "nn-functions"].map((p) =>
  join(root, "packages", p, "dist", "index.js"),
);

/** Chromium's flags for WebGPU on SwiftShader, headless (verified with Debian 12's chromium). */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--disable-dev-shm-usage",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-angle=vulkan",
  "--use-vulkan=swiftshader",
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer(Number(process.argv[2] ?? 0));
  console.log(`serving ${url}`);
}
