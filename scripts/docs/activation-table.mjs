// Renders the activation table of packages/nn-functions/README.md from the ACTIVATIONS catalog
// (the one list of the 27 activations) and writes it between the README's markers.
//
//   node scripts/docs/activation-table.mjs          rewrite the README (after building nn-functions)
//   node scripts/docs/activation-table.mjs --check  exit 1 if the README's table is out of date
//
// The render and rewrite functions are exported so packages/nn-functions/test/readme-table.test.ts
// can compare the README with the catalog as the source has it.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const README = join(ROOT, "packages", "nn-functions", "README.md");
export const START = "<!-- activation-table:start -->";
export const END = "<!-- activation-table:end -->";

/** Markdown-safe table cell text: a `|` inside a cell (even in code) must be escaped. */
function cell(text) {
  return text.replaceAll("|", "\\|");
}

function code(text) {
  return `\`${cell(text)}\``;
}

/** One parameter as a reader sees it: `alpha = 1`, `axis = -1`, or a required array. */
function describeParam(p) {
  if (p.default === undefined) {
    return p.kind === "array"
      ? `${code(p.name)} (required; an array or number broadcast against x)`
      : `${code(p.name)} (required)`;
  }
  return code(`${p.name} = ${p.default}`);
}

/** Width of a cell as the formatter (biome) counts it: in code points. */
function width(text) {
  return [...text].length;
}

/** A markdown table with padded columns, laid out exactly as `biome format` lays tables out. */
export function renderTable(header, rows) {
  const widths = header.map((h, c) => Math.max(3, width(h), ...rows.map((r) => width(r[c]))));
  const line = (cells) =>
    `| ${cells.map((t, c) => t + " ".repeat(widths[c] - width(t))).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The table, one row per catalog entry, in catalog order. */
export function renderActivationTable(activations) {
  const header = ["nnkit", "MLX (`mlx.nn`)", "formula", "parameters and defaults"];
  const rows = activations.map((a) => [
    code(a.name),
    code(a.mlxName),
    code(a.formula),
    a.params.length === 0 ? "—" : a.params.map(describeParam).join(", "),
  ]);
  return `${renderTable(header, rows)}\n`;
}

/** `text` with everything between the markers replaced by `body`; throws if a marker is missing. */
export function replaceBetweenMarkers(text, body, start = START, end = END) {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) {
    throw new Error(`expected the markers ${start} and ${end}, in that order`);
  }
  return `${text.slice(0, i + start.length)}\n${body}${text.slice(j)}`;
}

/** What lies between the markers (the table as committed). */
export function betweenMarkers(text, start = START, end = END) {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < 0 || j < i) {
    throw new Error(`expected the markers ${start} and ${end}, in that order`);
  }
  return text.slice(i + start.length + 1, j);
}

async function main() {
  const dist = join(ROOT, "packages", "nn-functions", "dist", "index.js");
  let catalog;
  try {
    catalog = await import(pathToFileURL(dist).href);
  } catch (e) {
    console.error(`activation-table: cannot load ${dist} (build nn-functions first): ${e.message}`);
    process.exit(1);
  }
  const before = readFileSync(README, "utf8");
  const after = replaceBetweenMarkers(before, renderActivationTable(catalog.ACTIVATIONS));
  if (process.argv.includes("--check")) {
    if (after !== before) {
      console.error(
        "activation-table: packages/nn-functions/README.md is out of date; run node scripts/docs/activation-table.mjs",
      );
      process.exit(1);
    }
    console.log("activation-table: README is up to date");
    return;
  }
  if (after !== before) writeFileSync(README, after);
  console.log(`activation-table: ${after === before ? "unchanged" : "rewrote"} ${README}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
