import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin, ResolvedConfig } from "vite";

/** The hand-written worker; the build fills in its two placeholders. */
const TEMPLATE = fileURLToPath(new URL("../src/offline/service-worker.js", import.meta.url));

/** Every file under `dir`, as paths relative to it with forward slashes. */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path).map((f) => `${name}/${f}`);
    return [name];
  });
}

/**
 * After a production build, writes dist/sw.js: the worker in src/offline/service-worker.js with
 * the list of built files to precache and a version (a hash of those files' contents), so each
 * build that changes anything gets a new cache and the old one is deleted on activation.
 * Source maps are left out: the page does not need them offline.
 */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "nnkit-playground-service-worker",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle() {
      const outDir = config.build.outDir;
      const files = listFiles(outDir)
        .filter((f) => !f.endsWith(".map") && f !== "sw.js")
        .sort();
      const hash = createHash("sha256");
      for (const f of files) hash.update(f).update(readFileSync(join(outDir, f)));
      const precache = ["./", ...files.map((f) => `./${f.split(sep).join("/")}`)];
      const source = readFileSync(TEMPLATE, "utf8")
        .replace('"__PRECACHE__"', JSON.stringify(precache))
        .replace("__VERSION__", hash.digest("hex").slice(0, 16));
      writeFileSync(join(outDir, "sw.js"), source);
      config.logger.info(
        `service worker: dist/sw.js precaches ${precache.length} URLs (${relative(config.root, outDir)})`,
      );
    },
  };
}
