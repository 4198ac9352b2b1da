import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../../../scripts/browser/server.mjs";

// Declares window.__nnkitPlayground for the page.evaluate callbacks here and in the tests.
export type { PlaygroundApi } from "../src/page-api.js";

/** Debian's Chromium (never a downloaded browser), as in packages/kernels-webgpu's browser test. */
export const CHROMIUM = "/usr/bin/chromium";

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium with WebGPU on SwiftShader (headless), one page, errors recorded. Without
 * `webgpu`, leaves out --enable-unsafe-webgpu: Chromium on Linux then offers no adapter.
 */
export async function launch({ webgpu = true } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "nnkit-playground-"));
  const context = await chromium.launchPersistentContext(profile, {
    headless: true,
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS.filter((a) => webgpu || a !== "--enable-unsafe-webgpu"),
    viewport: { width: 1280, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens `url` and waits until the playground has started and its plot is drawn. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => window.__nnkitPlayground !== undefined || document.body.dataset.state === "failed",
    undefined,
    { timeout: 60_000 },
  );
  const failed = await page.evaluate(() => document.body.dataset.error);
  if (failed) throw new Error(failed);
  await settled(page);
}

/** Waits for the plot to show the current state. */
export function settled(page: Page): Promise<void> {
  return page.evaluate(() => window.__nnkitPlayground?.settled());
}
