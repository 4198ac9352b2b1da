import type { FusedExpr } from "@nnkit/core";
import {
  decodeTable,
  type InputLayout,
  invariantNodes,
  type KernelArgs,
  nodeFunctions,
  outputEncoder,
} from "./prepare.js";

/** A compiled kernel: generated JavaScript specialised to one expression and input layout. */
export type CompiledKernel = (args: KernelArgs) => void;

/**
 * Generates the loop for one fused expression. The body calls the functions of
 * `semantics.ts` through constants bound once per kernel, so V8 inlines them; values are
 * float64 throughout and rounded once when stored. `layouts` picks the loop shape: a flat
 * loop when every input is contiguous or constant, else an n-d strided walk.
 */
export function compileKernel(expr: FusedExpr, layouts: readonly InputLayout[]): CompiledKernel {
  const fns = nodeFunctions(expr);
  const tables = expr.inputDtypes.map(decodeTable);
  const encoder = outputEncoder(expr.outDtype);
  const flat = layouts.every((l) => l !== "strided");
  const inv = invariantNodes(
    expr,
    layouts.map((l) => l === "constant"),
  );

  const prologue: string[] = [
    "const out = args.out, S = args.scalars, offs = args.offsets;",
    "const n = out.length;",
  ];
  expr.inputDtypes.forEach((_, k) => {
    prologue.push(`const in${k} = args.inputs[${k}], o${k} = offs[${k}];`);
    if (tables[k]) prologue.push(`const t${k} = T[${k}];`);
  });
  fns.forEach((f, i) => {
    if (f) prologue.push(`const f${i} = F[${i}];`);
  });

  const read = (k: number, index: string) =>
    tables[k] ? `t${k}[in${k}[${index}]]` : `in${k}[${index}]`;
  const hoisted: string[] = [];
  const body: string[] = [];
  expr.nodes.forEach((node, i) => {
    let code: string;
    switch (node.kind) {
      case "input": {
        const index =
          layouts[node.index] === "constant"
            ? `o${node.index}`
            : flat
              ? `o${node.index} + w`
              : `p${node.index} + j * q${node.index}`;
        code = read(node.index, index);
        break;
      }
      case "scalar":
        code = `S[${node.index}]`;
        break;
      case "unary":
      case "cast":
        code = `f${i}(v${node.arg})`;
        break;
      case "binary":
        code = `f${i}(v${node.lhs}, v${node.rhs})`;
        break;
      case "where":
        code = `(v${node.cond} !== 0 ? v${node.a} : v${node.b})`;
        break;
    }
    (inv[i] ? hoisted : body).push(`const v${i} = ${code};`);
  });
  const last = expr.nodes.length - 1;
  body.push(encoder ? `out[w] = E(v${last});` : `out[w] = v${last};`);

  let loop: string;
  if (flat) {
    loop = `for (let w = 0; w < n; w++) {\n${body.join("\n")}\n}`;
  } else {
    const k = expr.inputDtypes.map((_, i) => i);
    const pre = [
      "const shape = args.shape, nd = shape.length;",
      "const inner = nd === 0 ? 1 : shape[nd - 1];",
      "const idx = new Array(nd).fill(0);",
      ...k.map(
        (i) =>
          `const st${i} = args.strides[${i}], q${i} = nd === 0 ? 0 : st${i}[nd - 1]; let p${i} = o${i};`,
      ),
    ];
    const step = k.map((i) => `p${i} += st${i}[d];`).join(" ");
    const rewind = k.map((i) => `p${i} -= st${i}[d] * (shape[d] - 1);`).join(" ");
    loop = `${pre.join("\n")}
for (let w = 0; w < n; ) {
  for (let j = 0; j < inner; j++, w++) {
${body.join("\n")}
  }
  for (let d = nd - 2; d >= 0; d--) {
    if (++idx[d] < shape[d]) { ${step} break; }
    idx[d] = 0; ${rewind}
  }
}`;
  }
  const source = `${prologue.join("\n")}\n${hoisted.join("\n")}\n${loop}`;
  const make = new Function("F", "T", "E", `return function fusedKernel(args) {\n${source}\n};`);
  return make(fns, tables, encoder) as CompiledKernel;
}
