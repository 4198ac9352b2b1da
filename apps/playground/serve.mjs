// Serves the built playground (apps/playground/dist) on 127.0.0.1 with the headers it needs:
// cross-origin isolation (COOP/COEP), so that future worker pools can use SharedArrayBuffer,
// and caching that lets the service worker pick up a new build. No dependencies.
//   node serve.mjs [--port N]   serves until stopped (PORT also works; default 4173)
// The browser test imports startServer() to serve exactly what `npm start` serves.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, "dist");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
};

/** Headers every response carries: the page is cross-origin isolated. */
const ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
  "cross-origin-resource-policy": "same-origin",
  "x-content-type-options": "nosniff",
};

/** The file under `root` that a URL path names, or undefined when it would leave `root`. */
function resolve(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0] ?? "/");
  } catch {
    return undefined;
  }
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(root, path));
  return file.startsWith(root + sep) ? file : undefined;
}

/** Hashed build assets never change; the page and the service worker must be revalidated. */
function cacheControl(urlPath) {
  return urlPath.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * Starts the server (`port` 0 picks a free one). Resolves to its URL, the requests it could not
 * answer (`missing`, which the browser test asserts empty) and a close function.
 */
export function startServer({ port = 0, root = DIST } = {}) {
  const missing = [];
  const server = createServer((req, res) => {
    const urlPath = req.url ?? "/";
    const file = req.method === "GET" || req.method === "HEAD" ? resolve(root, urlPath) : undefined;
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      missing.push(`${req.method} ${urlPath}`);
      res.writeHead(404, { ...ISOLATION, "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      ...ISOLATION,
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": cacheControl(urlPath),
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: actual } = server.address();
      resolvePromise({
        url: `http://127.0.0.1:${actual}/`,
        missing,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The port to try first: --port N, then $PORT, then vite preview's usual 4173. */
function requestedPort() {
  const i = process.argv.indexOf("--port");
  const raw = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  const port = Number(raw ?? 4173);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 4173;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(join(DIST, "index.html"))) {
    console.error(`${DIST} has no index.html: build first (pnpm --filter @nnkit/playground build)`);
    process.exit(1);
  }
  const first = requestedPort();
  let started;
  // A busy port (another playground, a dev server) is common: try the next few.
  for (let port = first; !started && port < first + 10; port++) {
    try {
      started = await startServer({ port });
    } catch (e) {
      if (e.code !== "EADDRINUSE" || first === 0) throw e;
    }
  }
  if (!started) {
    console.error(`ports ${first}-${first + 9} are all in use; pass --port N`);
    process.exit(1);
  }
  console.log(`nnkit playground: ${started.url}  (serving ${DIST}; Ctrl-C stops)`);
}
