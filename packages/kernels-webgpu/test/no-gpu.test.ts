import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  array,
  getDefaultDevice,
  initBackends,
  listBackends,
  NnkitError,
  setDefaultDevice,
} from "@nnkit/core";
import "@nnkit/kernels-cpu";
import { describe, expect, it } from "vitest";
import "../src/index.js";

/**
 * Without navigator.gpu (plain Node) importing the package registers a backend that cannot
 * initialise and says why; the CPU stays the default. Needs no GPU, so it always runs.
 */

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("importing @nnkit/kernels-webgpu without navigator.gpu", () => {
  it("registers webgpu, whose initialisation fails with a clear message; cpu becomes the default", async () => {
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    expect(await initBackends()).toBe("cpu");
    expect(getDefaultDevice()).toBe("cpu");
    const webgpu = listBackends().find((b) => b.name === "webgpu");
    expect(webgpu).toMatchObject({ initialized: false, isDefault: false, priority: 10 });
    expect(webgpu?.error).toContain("navigator.gpu is missing");
    expect(webgpu?.error).toContain("registerWebGPU({ gpu");
    expect(Array.from(await array([1, 2]).data())).toEqual([1, 2]);
  });

  it("setDefaultDevice('webgpu') rejects with the same reason", async () => {
    const error = await setDefaultDevice("webgpu").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NnkitError);
    expect((error as Error).message).toContain("navigator.gpu is missing");
    expect(getDefaultDevice()).toBe("cpu");
  });

  it("the library does not depend on Dawn at run time", () => {
    const manifest = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(["@nnkit/core"]);
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? sources(join(dir, e.name))
          : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
            ? [join(dir, e.name)]
            : [],
      );
    const offenders = sources(join(pkg, "src")).filter((f) =>
      /from\s+["']webgpu["']|import\(\s*["']webgpu["']|require\(\s*["']webgpu["']/.test(
        readFileSync(f, "utf8"),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
