import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as mx from "@nnkit/core";
import "@nnkit/kernels-cpu";
import * as nn from "@nnkit/nn-functions";
import { ACTIVATIONS } from "@nnkit/nn-functions";
import { ReLU } from "@nnkit/nn-modules";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIST, type PlaygroundServer, startServer } from "../serve.mjs";
import { type Browser, CHROMIUM, launch, open, type PlaygroundApi, settled } from "./browser.js";
import { countColor, hexColor, pixelStats } from "./png.js";
import { libraryValues } from "./reference.js";
import { matches } from "./ulp.js";
import { describeUnavailable } from "./unavailable.js";

/**
 * The built playground (apps/playground/dist, served by serve.mjs as `npm start` serves it) in
 * Debian's Chromium with WebGPU on SwiftShader: one browser for the whole file. The plotted
 * numbers are read from the chart's data through window.__nnkitPlayground (src/page-api.ts) and
 * checked against the library computed here in Node. Needs `pnpm build` first (npm test builds
 * everything before testing).
 */

const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOT_DIR = join(here, "..", "..", "..", "test-results", "playground");

/** WebGPU against the CPU: 4 ulp, or |d| ≤ 2^-22 · max(1, |cpu|). */
const WEBGPU_ULP = 4;
const WEBGPU_RELATIVE = 2 ** -22;

type Series = ReturnType<PlaygroundApi["series"]>[number];

/** Every function at MLX's defaults. */
const ALL_DEFAULTS = ACTIVATIONS.map((a) => a.name).join(",");
/** Every function that has parameters but elu, each parameter moved off its default (axes to 0). */
const CHANGED_EXCEPT_ELU = ACTIVATIONS.filter((a) => a.params.length > 0 && a.name !== "elu")
  .map((a) => {
    const params = a.params.map((p) => {
      if (p.kind === "axis") return `${p.name}=0`;
      const d = p.default ?? 0.25;
      return `${p.name}=${Math.round((d * 0.6 + 0.1) * 1000) / 1000}`;
    });
    return `${a.name}(${params.join(",")})`;
  })
  .join(",");

const api = (page: Page) => ({
  series: () => page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).series()),
  state: () => page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).state()),
});

/** Problems of each plotted series against the library in Node, at most 3 per function. */
function mismatches(series: readonly Series[], maxUlp: number, relative = 0): string[] {
  const bad: string[] = [];
  for (const s of series) {
    if (s.error) {
      bad.push(`${s.name}: the page reports ${s.error}`);
      continue;
    }
    const expected = libraryValues(s.name, s.x, s.params);
    let count = 0;
    for (let i = 0; i < s.x.length; i++) {
      const want = i < expected.length ? (expected[i] as number) : Number.NaN;
      if (matches(s.y[i], want, maxUlp, relative)) continue;
      if (++count <= 3) bad.push(`${s.name} at x=${s.x[i]}: plotted ${s.y[i]}, library ${want}`);
    }
  }
  return bad;
}

/** Switches the page to WebGPU and checks every plotted series against the library on the CPU. */
async function expectWebGPUAgrees(page: Page): Promise<void> {
  await page.click('label[for="device-webgpu"]');
  await settled(page);
  expect(page.url()).toContain("device=webgpu");
  const series = await api(page).series();
  expect(series.every((s) => s.device === "webgpu")).toBe(true);
  expect(mismatches(series, WEBGPU_ULP, WEBGPU_RELATIVE)).toEqual([]);
  const comparison = await page.evaluate(() =>
    (window.__nnkitPlayground as PlaygroundApi).comparison(),
  );
  expect(comparison?.map((c) => c.name)).toEqual(series.map((s) => s.name));
  expect(comparison?.filter((c) => c.error !== undefined)).toEqual([]);
  expect(await page.textContent("#largest-difference")).toMatch(/Largest \|WebGPU − CPU\|: \d/);
  expect(await liveGpuBuffers(page), "GPU buffers left once idle").toBe(0);
}

/** WebGPU buffers the page holds (0 once idle: it disposes every array it makes). */
function liveGpuBuffers(page: Page): Promise<number | undefined> {
  return page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).liveGpuBuffers());
}

if (!existsSync(CHROMIUM)) {
  describeUnavailable(
    "playground in Chromium",
    `${CHROMIUM} is missing (apt-get install -y chromium libvulkan1)`,
  );
} else {
  describe("playground in Chromium", () => {
    let server: PlaygroundServer;
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      expect(existsSync(join(DIST, "index.html")), `${DIST} is built (pnpm build)`).toBe(true);
      server = await startServer();
      browser = await launch();
      page = browser.page;
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("loads without console errors, shows which backends initialised and how they compute", async () => {
      await open(page, server.url);
      const backends = await page.evaluate(() =>
        (window.__nnkitPlayground as PlaygroundApi).backends(),
      );
      expect(backends.find((b) => b.name === "cpu")).toMatchObject({ initialized: true });
      const webgpu = backends.find((b) => b.name === "webgpu");
      expect(webgpu, "webgpu initialised in Chromium with SwiftShader").toMatchObject({
        initialized: true,
      });
      expect(await page.textContent("#backend-status")).toContain(webgpu?.description ?? "?");
      const cpu = backends.find((b) => b.name === "cpu");
      expect(cpu?.description).toMatch(/^WebAssembly SIMD, shared heap, /);
      expect(await page.textContent('#backend-status [data-backend="cpu"]')).toContain(
        cpu?.description ?? "?",
      );
      expect(await page.evaluate(() => window.crossOriginIsolated), "COOP/COEP").toBe(true);
      expect((await api(page).series()).map((s) => s.name)).toEqual(["relu", "elu", "gelu"]);
      expect(browser.errors).toEqual([]);
    });

    it("without WebGPU, says why, falls back to the CPU and still plots", async () => {
      const plain = await launch({ webgpu: false });
      try {
        await open(plain.page, `${server.url}?device=webgpu&f=relu,elu`);
        const webgpu = (
          await plain.page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).backends())
        ).find((b) => b.name === "webgpu");
        expect(webgpu?.initialized).toBe(false);
        expect(webgpu?.error, "the registry's reason").toMatch(/adapter|navigator\.gpu/);
        expect((await api(plain.page).state()).device).toBe("cpu");
        expect(await plain.page.textContent('#backend-status [data-backend="webgpu"]')).toContain(
          `not available: ${webgpu?.error}`,
        );
        expect(await plain.page.textContent("#backend-note")).toContain('asked for "webgpu"');
        expect(await plain.page.isDisabled("#device-webgpu")).toBe(true);
        expect(await plain.page.textContent("#comparison")).toContain("webgpu is not available");
        const series = await api(plain.page).series();
        expect(series.map((s) => `${s.name} on ${s.device}`)).toEqual([
          "relu on cpu",
          "elu on cpu",
        ]);
        expect(mismatches(series, 1)).toEqual([]);
        expect(plain.errors).toEqual([]);
      } finally {
        await plain.close();
      }
    });

    it("choosing a function and changing a parameter plots the library's values (CPU 1 ulp, WebGPU 4 ulp)", async () => {
      // Every function with parameters, each moved off its default, except elu, chosen below.
      await open(page, `${server.url}?device=cpu&f=${CHANGED_EXCEPT_ELU}`);
      expect(mismatches(await api(page).series(), 1)).toEqual([]);

      await page.click('button[data-fn="elu"]');
      await settled(page);
      const before = (await api(page).series()).find((s) => s.name === "elu");
      expect(before?.params).toEqual({ alpha: 1 });
      expect(before?.device).toBe("cpu");

      await page.fill("#param-alpha", "0.5");
      await settled(page);
      const after = (await api(page).series()).find((s) => s.name === "elu");
      expect(after?.params).toEqual({ alpha: 0.5 });
      expect(after?.y, "the plotted data changed").not.toEqual(before?.y);
      expect(
        mismatches(
          [before, after].flatMap((s) => s ?? []),
          1,
        ),
      ).toEqual([]);
      expect(await page.inputValue("#param-alpha-slider")).toBe("0.5");
      expect(page.url()).toContain("elu(alpha=0.5)");
      const formula = ACTIVATIONS.find((a) => a.name === "elu")?.formula ?? "?";
      expect(await page.textContent('#formulas li[data-fn="elu"]')).toContain(formula);

      await expectWebGPUAgrees(page);
    });

    it("plots all 27 functions at MLX's defaults as the library computes them (CPU, then WebGPU)", async () => {
      await open(page, `${server.url}?device=cpu&f=${ALL_DEFAULTS}`);
      const series = await api(page).series();
      expect(series.map((s) => s.name)).toEqual(ACTIVATIONS.map((a) => a.name));
      expect(series.every((s) => s.device === "cpu")).toBe(true);
      expect(mismatches(series, 1)).toEqual([]);
      await expectWebGPUAgrees(page);
    });

    it("shows TypeScript that computes exactly the plotted values", async () => {
      await open(
        page,
        `${server.url}?device=cpu&f=gelu,leakyRelu(negativeSlope=0.2),glu,softmin(axis=0)`,
      );
      const code = (await page.textContent("#plot-code")) ?? "";
      expect(code).toContain("nn.leakyRelu(x, 0.2)");
      // The program is TypeScript without type annotations, so Node runs it as it is.
      const print =
        "\nconsole.log(JSON.stringify(Object.fromEntries(Object.entries(y).map(([k, v]) => [k, Array.from(v)]))));\n";
      const run = spawnSync(process.execPath, ["--input-type=module"], {
        cwd: join(here, ".."),
        input: code + print,
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      const values = JSON.parse(run.stdout) as Record<string, number[]>;
      for (const s of await api(page).series()) {
        const v = values[s.name] ?? [];
        expect(s.y.slice(0, v.length), s.name).toEqual(v);
      }
    });

    it("restores a shared view from its URL", async () => {
      await open(
        page,
        `${server.url}?device=cpu&f=relu,hardTanh(minVal=-0.5,maxVal=2)&edit=hardTanh&x=-3,4`,
      );
      await page.fill("#param-maxVal", "1.5");
      await settled(page);
      const state = await api(page).state();
      const shared = page.url();
      expect(shared).toContain("hardTanh(minVal=-0.5,maxVal=1.5)");
      // A fresh load of the copied address: the state comes from the URL alone.
      await open(page, shared);
      expect(await api(page).state()).toEqual(state);
      const series = await api(page).series();
      expect(series[1]?.params).toEqual({ minVal: -0.5, maxVal: 1.5 });
      expect(series[0]?.x[0]).toBe(-3);
    });

    it("runs MLX's seed example and prints it as MLX prints (CPU exactly, WebGPU closely)", async () => {
      const x = mx.random.normal([2, 4], "float32", 0, 1, mx.random.key(0));
      const expected = [x, nn.relu(x), nn.glu(x), new ReLU().forward(x)].map(String);
      await open(page, `${server.url}?device=cpu&tab=example`);
      await page.waitForSelector('#example-output[data-state="done"][data-device="cpu"]');
      const cpu = (await page.textContent("#example-output")) ?? "";
      const arrays = cpu.split("\n\n").map((block) => block.split("\n").slice(1).join("\n"));
      expect(arrays.map((a) => a.trim())).toEqual(expected);
      for (const label of [
        "mx.random.normal",
        "nn.relu(x)",
        "nn.glu(x)",
        "new ReLU().forward(x)",
      ]) {
        expect(cpu).toContain(label);
      }

      await page.click('label[for="device-webgpu"]');
      await page.waitForSelector('#example-output[data-state="done"][data-device="webgpu"]');
      const gpu = (await page.textContent("#example-output")) ?? "";
      const numbers = (t: string) =>
        (t.match(/-?\d+(\.\d+)?(e-?\d+)?(?=[,\]])/g) ?? []).map(Number);
      expect(await liveGpuBuffers(page), "GPU buffers left after the example").toBe(0);
      const [a, b] = [numbers(cpu), numbers(gpu)];
      expect(b.length).toBe(a.length);
      b.forEach((v, i) => {
        expect(Math.abs(v - (a[i] as number))).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v)));
      });
    });

    it("benchmarks a small run on both backends, with progress, and cancels a run", async () => {
      await open(page, `${server.url}?device=cpu&tab=bench`);
      // sigmoid: costly enough per element that the CPU shares 2^16 elements with its workers.
      await page.selectOption("#bench-fn", "sigmoid");
      await page.selectOption("#bench-from", "16");
      await page.selectOption("#bench-to", "17");
      await page.selectOption("#bench-time", "0.05");
      expect(page.url()).toContain("sizes=16-17");
      await page.click("#bench-run");
      await page.waitForSelector('#bench-status[data-status="done"]', { timeout: 60_000 });
      const bench = await page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).bench());
      expect(bench.points.map((p) => `${p.backend} 2^${p.log2Size}`).sort()).toEqual(
        ["cpu 2^16", "cpu 2^17", "webgpu 2^16", "webgpu 2^17"].sort(),
      );
      for (const p of bench.points) {
        expect(p.gbPerSecond, `${p.backend} 2^${p.log2Size}`).toBeGreaterThan(0);
        expect(Number.isFinite(p.gbPerSecond)).toBe(true);
        expect(p.bytes).toBe(2 ** p.log2Size * 8);
      }
      const progress = await page.$eval("#bench-progress", (e) => [
        (e as HTMLProgressElement).value,
        (e as HTMLProgressElement).max,
      ]);
      expect(progress).toEqual([4, 4]);
      expect(await page.$$("#bench-table tbody tr")).toHaveLength(4);
      expect(await liveGpuBuffers(page), "GPU buffers left after the benchmark").toBe(0);
      // Cross-origin isolated, the CPU keeps arrays in shared WebAssembly memory, and with two
      // or more cores it shares large kernels (sigmoid on 2^16 elements) with worker threads.
      const cpu = await page.evaluate(() => (window.__nnkitPlayground as PlaygroundApi).cpu());
      expect(cpu?.storage).toBe("heap");
      if ((await page.evaluate(() => navigator.hardwareConcurrency)) >= 2) {
        expect(cpu?.workerThreads, cpu?.singleThreadReason).toBeGreaterThan(0);
        expect(cpu?.threadedRuns).toBeGreaterThan(0);
      }

      await page.selectOption("#bench-to", "24");
      await page.click("#bench-run");
      await page.click("#bench-cancel");
      await page.waitForSelector('#bench-status[data-status="cancelled"]', { timeout: 60_000 });
      expect(await page.isDisabled("#bench-cancel")).toBe(true);
      expect(await liveGpuBuffers(page), "GPU buffers left after cancelling").toBe(0);
    });

    it("writes a non-blank screenshot of the main view, with every plotted line drawn", async () => {
      const colors = ["#0072b2", "#d55e00", "#009e73", "#cc79a7"];
      await open(
        page,
        `${server.url}?device=webgpu&f=relu,elu(alpha=0.5),gelu,softmax(axis=0)&edit=elu`,
      );
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, "main.png");
      await page.screenshot({ path });
      const png = readFileSync(path);
      const stats = pixelStats(png);
      expect(stats.nonBackground, "share of pixels that are not background").toBeGreaterThan(0.1);
      expect(stats.distinctColors).toBeGreaterThan(50);
      const box = await page.locator("#chart canvas").boundingBox();
      expect(box, "the chart's canvas").not.toBeNull();
      for (const c of colors) {
        const n = countColor(png, box ?? { x: 0, y: 0, width: 0, height: 0 }, hexColor(c));
        expect(n, `pixels of the ${c} line in the chart`).toBeGreaterThan(100);
      }
      // The same measure on a blank page is 0: the check above can fail.
      const blank = await browser.context.newPage();
      try {
        await blank.goto("about:blank");
        expect(pixelStats(await blank.screenshot()).nonBackground).toBe(0);
      } finally {
        await blank.close();
      }
    });

    it("works offline once loaded (service worker), still cross-origin isolated", async () => {
      await open(page, `${server.url}?device=cpu&f=silu,mish`);
      const offline = await page.evaluate(() =>
        (window.__nnkitPlayground as PlaygroundApi).offline(),
      );
      expect(offline).toMatch(/^offline: ready/);
      const served = server.missing.length;
      await browser.context.setOffline(true);
      try {
        await page.reload();
        await page.waitForFunction(() => window.__nnkitPlayground !== undefined);
        await settled(page);
        expect((await api(page).series()).map((s) => s.name)).toEqual(["silu", "mish"]);
        expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      } finally {
        await browser.context.setOffline(false);
      }
      expect(server.missing.length).toBe(served);
    });

    it("logged no console errors and every request was served", () => {
      expect(browser.errors).toEqual([]);
      expect(server.missing).toEqual([]);
    });
  });
}
