// Runs every vitest project of the workspace once (browser test included) and ends with the
// plain summary line "N passed, N failed, N skipped" that CI reads. Exit status is vitest's.
//
// Skipped WebGPU tests are listed by name. A WebGPU test that cannot get an adapter (or a
// browser) is skipped with a name starting "WebGPU unavailable: <reason>"; under CI=true each
// such skip counts as a failure, so CI cannot pass without having run the WebGPU suites.
//
// `node scripts/run-tests.mjs --report-only` re-reads test-results/vitest.json without running
// anything (prints the same listing and summary line).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = join(root, "test-results");
const report = join(reportDir, "vitest.json");
mkdirSync(reportDir, { recursive: true });

/** Start of the name of a test skipped for lack of WebGPU (see packages/kernels-webgpu/test/dawn.ts). */
const WEBGPU_UNAVAILABLE = "WebGPU unavailable";
const ci = process.env.CI === "true" || process.env.CI === "1";
const reportOnly = process.argv.includes("--report-only");

let status = 0;
if (!reportOnly) {
  const run = spawnSync(
    "pnpm",
    [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    { cwd: root, stdio: "inherit" },
  );
  status = run.status ?? 1;
}

let passed = 0;
let failed = 0;
let skipped = 0;
/** Skipped tests that belong to WebGPU (by file or name), as "file > full name". */
const webgpuSkips = [];
let unavailable = 0;
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    // A file that failed outside any test (an import error, a hook) has no failed test to count.
    if (file.status === "failed" && !tests.some((t) => t.status === "failed")) failed += 1;
    const path = relative(root, file.name ?? "");
    for (const t of tests) {
      if (t.status === "passed" || t.status === "failed") continue;
      const name = t.fullName || [...(t.ancestorTitles ?? []), t.title].join(" > ");
      if (!/webgpu/i.test(path) && !/webgpu/i.test(name)) continue;
      webgpuSkips.push(`${path} > ${name}`);
      if (name.includes(WEBGPU_UNAVAILABLE)) unavailable++;
    }
  }
} catch (e) {
  console.error(`run-tests: could not read ${report}: ${e.message}`);
  failed += 1;
}

if (webgpuSkips.length > 0) {
  console.log(`\nSkipped WebGPU tests (${webgpuSkips.length}):`);
  for (const s of webgpuSkips) console.log(`  - ${s}`);
}
if (unavailable > 0) {
  const where = ci ? "CI requires WebGPU" : "allowed outside CI";
  console.log(
    `\n${unavailable} WebGPU test(s) skipped because WebGPU is unavailable (${where}). ` +
      "It needs Debian's chromium and libvulkan1 (apt-get install -y chromium libvulkan1) and " +
      "VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json; .ci/run sets all of this up.",
  );
  if (ci) {
    skipped -= unavailable;
    failed += unavailable;
  }
}

if (status !== 0 && failed === 0) failed = 1; // vitest failed outside any test (e.g. a crash)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
