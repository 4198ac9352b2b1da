import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * The folder of an installed package: found from its entry point, walking up to the
 * package.json that names it (some packages do not export "./package.json").
 */
export function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const file = join(dir, "package.json");
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === name
    ) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = up;
  }
}

/** The installed version of a package, read from its package.json. */
export function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
