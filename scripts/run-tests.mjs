// Runs every vitest project of the workspace once and ends with the plain summary line
// "N passed, N failed, N skipped" that CI reads. Exit status is vitest's.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = join(root, "test-results");
const report = join(reportDir, "vitest.json");
mkdirSync(reportDir, { recursive: true });

const run = spawnSync(
  "pnpm",
  ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
  { cwd: root, stdio: "inherit" },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} catch (e) {
  console.error(`run-tests: could not read ${report}: ${e.message}`);
  failed += 1;
}
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // vitest failed outside any test (e.g. a crash)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
