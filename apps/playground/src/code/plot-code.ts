import { findFunction, positionalArgs, worksAlongAxis } from "../catalog/functions.js";
import { GRID_POINTS } from "../compute/plot-input.js";
import type { PlaygroundState } from "../state/state.js";

/**
 * The TypeScript program that computes the current plot: the same library calls the page makes
 * (compute/series.ts and compute/plot-input.ts), written out for the reader to copy.
 */
export function plotCode(state: PlaygroundState): string {
  const fns = state.functions.flatMap((f) => {
    const info = findFunction(f.name);
    return info ? [{ f, info }] : [];
  });
  const needsRows = fns.some(({ info }) => worksAlongAxis(info));
  const lines: string[] = [
    'import * as mx from "@nnkit/core";',
    'import "@nnkit/kernels-cpu";',
    ...(state.device === "webgpu" ? ['import "@nnkit/kernels-webgpu"; // uses navigator.gpu'] : []),
    'import * as nn from "@nnkit/nn-functions";',
    "",
    `await mx.setDefaultDevice(${JSON.stringify(state.device)});`,
    "",
    `// The x grid: ${GRID_POINTS} float32 values from ${state.xMin} to ${state.xMax}.`,
    `const x = mx.linspace(${state.xMin}, ${state.xMax}, ${GRID_POINTS});`,
  ];
  if (needsRows) {
    lines.push(
      `// Functions that work along an axis get X = [x; 0] (2 × ${GRID_POINTS}); row 0 of the result is plotted.`,
      `const X = mx.concatenate([x.reshape([1, ${GRID_POINTS}]), mx.zeros([1, ${GRID_POINTS}])], 0);`,
    );
  }
  lines.push("");
  for (const { f, info } of fns) {
    const input = worksAlongAxis(info) ? "X" : "x";
    const args = [input, ...positionalArgs(info, f.params).map(String)].join(", ");
    lines.push(`const ${f.name} = nn.${f.name}(${args});`);
  }
  lines.push(
    "",
    "// Read the values (asynchronously: WebGPU cannot read synchronously), then free the arrays.",
    "const y = {",
  );
  for (const { f, info } of fns) {
    const read = worksAlongAxis(info)
      ? `(await ${f.name}.data()).subarray(0, ${f.name}.shape[1]), // row 0`
      : `await ${f.name}.data(),`;
    lines.push(`  ${f.name}: ${read}`);
  }
  const made = ["x", ...(needsRows ? ["X"] : []), ...fns.map(({ f }) => f.name)];
  lines.push("};", `for (const a of [${made.join(", ")}]) a.dispose();`);
  return `${lines.join("\n")}\n`;
}
