import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FLOAT32, withinBound } from "@nnkit/conformance";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, ENTRY_POINTS, startServer } from "../../../scripts/browser/server.mjs";
import { describeUnavailable } from "./dawn.js";

/**
 * The built packages in a real browser: Debian's Chromium (driven by playwright-core, never a
 * downloaded browser) with WebGPU on SwiftShader loads scripts/browser/index.html, which imports
 * @nnkit/core, kernels-cpu, kernels-webgpu and nn-functions from their dist files, and computes
 * relu, gelu, silu, logSigmoid and softmax on the CPU and on WebGPU. Needs `pnpm build` first
 * (npm test builds everything before running tests).
 */

const CHROMIUM = "/usr/bin/chromium";

/** WebGPU against the CPU (itself within 1 ulp of exact): 4 + 1 ulp, or 2^-22·max(1, |cpu|). */
const BOUND = { maxUlp: 5, relativeTolerance: 2 ** -22 };

interface PageResult {
  error?: string;
  hasNavigatorGpu: boolean;
  adapter: string | null;
  defaultDevice: string;
  backends: { name: string; initialized: boolean; error?: string }[];
  functions: Record<string, { x: number[]; cpu: number[]; webgpu: number[]; maxAbsDiff: number }>;
}

if (!existsSync(CHROMIUM)) {
  describeUnavailable(
    "webgpu in Chromium",
    `${CHROMIUM} is missing (apt-get install -y chromium libvulkan1)`,
  );
} else {
  describe("webgpu in Chromium", () => {
    it("a page using the built packages finds an adapter and agrees with the CPU", async () => {
      const unbuilt = ENTRY_POINTS.filter((f) => !existsSync(f));
      expect(unbuilt, "dist files the page imports (run pnpm build)").toEqual([]);

      const server = await startServer();
      const profile = mkdtempSync(join(tmpdir(), "nnkit-chromium-"));
      const context = await chromium.launchPersistentContext(profile, {
        headless: true,
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS],
      });
      const errors: string[] = [];
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        page.on("console", (m) => {
          if (m.type() === "error") errors.push(`console: ${m.text()}`);
        });
        page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
        await page.goto(server.url);
        await page.waitForFunction(() => "nnkitResult" in globalThis, undefined, {
          timeout: 90_000,
        });
        const result = (await page.evaluate(
          () => (globalThis as unknown as { nnkitResult: unknown }).nnkitResult,
        )) as PageResult;

        expect(result.hasNavigatorGpu, "navigator.gpu exists").toBe(true);
        expect(result.adapter, "a WebGPU adapter").toBeTruthy();
        expect(result.error, "the page's own error").toBeUndefined();
        expect(result.defaultDevice, "initBackends() picks webgpu").toBe("webgpu");
        expect(result.backends.find((b) => b.name === "webgpu")).toMatchObject({
          initialized: true,
        });

        expect(Object.keys(result.functions).sort()).toEqual(
          ["gelu", "logSigmoid", "relu", "silu", "softmax"].sort(),
        );
        const summary: string[] = [];
        for (const [name, r] of Object.entries(result.functions)) {
          expect(r.webgpu.length, `${name}: number of results`).toBe(r.cpu.length);
          const bad: string[] = [];
          let count = 0;
          for (let i = 0; i < r.cpu.length; i++) {
            const cpu = r.cpu[i] as number;
            const gpu = r.webgpu[i] as number;
            if (withinBound(FLOAT32, cpu, gpu, BOUND).ok) continue;
            if (++count <= 5) bad.push(`x=${r.x[i]}: cpu ${cpu}, webgpu ${gpu}`);
          }
          if (count > bad.length) bad.push(`... and ${count - bad.length} more`);
          expect(bad, `${name}: WebGPU results outside the bound from the CPU's`).toEqual([]);
          summary.push(`${name} max |webgpu - cpu| = ${r.maxAbsDiff}`);
        }
        console.log(`browser (${result.adapter}): ${summary.join("; ")}`);
        expect(server.missing, "requests the server could not answer").toEqual([]);
        expect(errors, "console errors in the page").toEqual([]);
      } finally {
        await context.close();
        await server.close();
        rmSync(profile, { recursive: true, force: true });
      }
    });
  });
}
