import * as mx from "@nnkit/core";
import * as nn from "@nnkit/nn-functions";
import { ReLU } from "@nnkit/nn-modules";
import { withDevice } from "../compute/device-lock.js";
import { ArrayScope } from "../compute/scope.js";

/**
 * MLX's seed example, as examples/seed.ts runs it in Node (keep the two alike): a seeded normal
 * sample through relu, glu and the ReLU Module, printed as MLX prints arrays. In MLX (Python):
 *
 *   x = mx.random.normal((2, 4), key=mx.random.key(0))
 *   print(x); print(nn.relu(x)); print(nn.glu(x)); print(nn.ReLU()(x))
 */

interface Step {
  /** The expression, as written in the program. */
  readonly code: string;
  /** Printed after the expression, above its value. */
  readonly comment?: string;
  readonly run: (x: mx.Array) => mx.Array;
}

/** The line examples/seed.ts prints above a value. */
const label = (s: Step) => (s.comment ? `${s.code}   # ${s.comment}` : s.code);

const INPUT_LABEL = 'x = mx.random.normal([2, 4], "float32", 0, 1, mx.random.key(0))';
const STEPS: readonly Step[] = [
  { code: "nn.relu(x)", run: (x) => nn.relu(x) },
  {
    code: "nn.glu(x)",
    comment: "first half · sigmoid(second half), along the last axis",
    run: (x) => nn.glu(x),
  },
  { code: "new ReLU().forward(x)", run: (x) => new ReLU().forward(x) },
];

/** A string literal as examples/seed.ts writes it: double quotes, single where it holds some. */
const literal = (s: string) => (s.includes('"') ? `'${s}'` : JSON.stringify(s));

/** The program the panel shows (examples/seed.ts, with the device made explicit). */
export function seedSource(device: string): string {
  return [
    'import * as mx from "@nnkit/core";',
    'import "@nnkit/kernels-cpu";',
    ...(device === "webgpu" ? ['import "@nnkit/kernels-webgpu";'] : []),
    'import * as nn from "@nnkit/nn-functions";',
    'import { ReLU } from "@nnkit/nn-modules";',
    "",
    `await mx.setDefaultDevice(${JSON.stringify(device)});`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is program text with a template literal in it
    "const show = (label: string, value: unknown) => console.log(`${label}\\n${String(value)}\\n`);",
    "",
    'const x = mx.random.normal([2, 4], "float32", 0, 1, mx.random.key(0));',
    `show(${literal(INPUT_LABEL)}, x);`,
    ...STEPS.map((s) => `show(${literal(label(s))}, ${s.code});`),
    ...(device === "webgpu"
      ? [
          "// On WebGPU, printing needs the values on the CPU first: the page prints",
          '// each result as `const c = y.to("cpu"); await mx.evaluate(c); String(c)`.',
        ]
      : []),
  ].join("\n");
}

/** MLX's printed form of an array on any device (WebGPU arrays are copied to the CPU first). */
async function printed(scope: ArrayScope, a: mx.Array): Promise<string> {
  const onCpu = scope.track(a.to("cpu"));
  await mx.evaluate(onCpu);
  return String(onCpu);
}

/** Runs the example on `device`; resolves to what examples/seed.ts prints. */
export function runSeed(device: string): Promise<string> {
  return withDevice(device, async () => {
    const scope = new ArrayScope();
    try {
      const key = scope.track(mx.random.key(0));
      const x = scope.track(mx.random.normal([2, 4], "float32", 0, 1, key));
      const blocks = [`${INPUT_LABEL}\n${await printed(scope, x)}\n`];
      for (const step of STEPS) {
        const y = scope.track(step.run(x));
        blocks.push(`${label(step)}\n${await printed(scope, y)}\n`);
      }
      return blocks.join("\n");
    } finally {
      scope.dispose();
    }
  });
}
