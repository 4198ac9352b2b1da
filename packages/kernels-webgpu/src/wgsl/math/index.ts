import { CONVERT } from "./convert.js";
import { BITS, LDEXP, TINY } from "./core.js";
import { DF, DF_CMP, DF_MISC, DF_SQRT } from "./df.js";
import { ERF, ERF_PARTS, ERFC } from "./erf.js";
import { ERFINV } from "./erfinv.js";
import { EXP, EXP_CORE, EXPM1 } from "./exp.js";
import { LOG, LOG_CORE, LOG1P } from "./log.js";
import { LOGADDEXP } from "./logaddexp.js";
import { IPOW, POW } from "./pow.js";
import { ERFC_SC, EXP_SC, LOGADDEXP_SC, SCALED, SIGMOID_SC, TANH_SC } from "./scaled.js";
import { SIGMOID } from "./sigmoid.js";
import type { WgslSnippet } from "./snippet.js";
import { SUM } from "./sum.js";
import { TANH } from "./tanh.js";

export type { WgslSnippet } from "./snippet.js";

/** Every snippet of the math library, by name. */
export const MATH_SNIPPETS: ReadonlyMap<string, WgslSnippet> = new Map(
  [
    BITS,
    LDEXP,
    TINY,
    DF,
    DF_SQRT,
    DF_CMP,
    DF_MISC,
    SUM,
    CONVERT,
    EXP_CORE,
    EXP,
    EXPM1,
    LOG_CORE,
    LOG,
    LOG1P,
    TANH,
    SIGMOID,
    LOGADDEXP,
    ERF_PARTS,
    ERF,
    ERFC,
    ERFINV,
    POW,
    IPOW,
    SCALED,
    EXP_SC,
    SIGMOID_SC,
    ERFC_SC,
    LOGADDEXP_SC,
    TANH_SC,
  ].map((s) => [s.name, s]),
);

/**
 * The WGSL source of the named snippets and everything they depend on, each once, every
 * snippet after its dependencies.
 */
export function mathLibrary(names: Iterable<string>): string {
  const done = new Set<string>();
  const out: string[] = [];
  const visit = (name: string, path: readonly string[]): void => {
    if (done.has(name)) return;
    if (path.includes(name))
      throw new Error(`internal: WGSL snippet cycle ${[...path, name].join(" → ")}`);
    const s = MATH_SNIPPETS.get(name);
    if (!s) throw new Error(`internal: unknown WGSL snippet "${name}"`);
    for (const d of s.deps) visit(d, [...path, name]);
    done.add(name);
    out.push(s.code);
  };
  for (const n of [...names].sort()) visit(n, []);
  return out.join("\n\n");
}
