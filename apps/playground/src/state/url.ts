import { findFunction, paramControls } from "../catalog/functions.js";
import {
  defaultState,
  type PlaygroundState,
  type PlottedFunction,
  plotted,
  TABS,
  type Tab,
} from "./state.js";

/**
 * The view's state as a URL query, readable and shareable:
 *
 *   ?tab=plot&device=webgpu&f=relu,elu(alpha=0.5),softmax(axis=0)&edit=elu&x=-6,6&bench=gelu&sizes=16-24
 *
 * - `f`: the plotted functions in order, each with the parameters that differ from their
 *   defaults as `name=value` in parentheses.
 * - `edit`: the function whose parameters the side panel shows.
 * - `x`: the plotted range, `min,max`.
 * - `device`: the backend computing the plot (absent: the best that initialised).
 * - `tab`: `plot`, `bench` or `example`.
 * - `bench` and `sizes`: the benchmark's function and its sizes as log2 `from-to` (16-24 is
 *   2^16 to 2^24 elements).
 * Anything missing or unusable takes its default, so any URL opens a working view.
 */

/** `name(p=v,...)` items of `f`, split at the commas between items, not inside parentheses. */
function parseFunctions(text: string): PlottedFunction[] {
  const out: PlottedFunction[] = [];
  for (const m of text.matchAll(/([A-Za-z0-9_]+)(?:\(([^)]*)\))?/g)) {
    const params: Record<string, number> = {};
    for (const pair of (m[2] ?? "").split(",")) {
      const [k, v] = pair.split("=");
      if (k && v !== undefined && v.trim() !== "") params[k.trim()] = Number(v);
    }
    const f = plotted(m[1] as string, params);
    if (f) out.push(f);
  }
  return out;
}

function parseNumberPair(text: string | null, sep: string): [number, number] | undefined {
  if (text === null) return undefined;
  const parts = text.split(sep);
  if (parts.length !== 2 || parts.some((p) => p.trim() === "")) return undefined;
  return [Number(parts[0]), Number(parts[1])];
}

/** The state a query string describes, with defaults for what it leaves out. */
export function stateFromQuery(query: string, fallbackDevice: string): PlaygroundState {
  const q = new URLSearchParams(query);
  const d = defaultState(fallbackDevice);
  const tab = q.get("tab");
  const f = q.get("f");
  const x = parseNumberPair(q.get("x"), ",");
  const sizes = parseNumberPair(q.get("sizes"), "-");
  return {
    tab: TABS.includes(tab as Tab) ? (tab as Tab) : d.tab,
    device: q.get("device") ?? d.device,
    functions: f === null ? d.functions : parseFunctions(f),
    editing: q.get("edit") ?? (f === null ? d.editing : undefined),
    xMin: x?.[0] ?? d.xMin,
    xMax: x?.[1] ?? d.xMax,
    bench: {
      fn: q.get("bench") ?? d.bench.fn,
      fromLog2: sizes?.[0] ?? d.bench.fromLog2,
      toLog2: sizes?.[1] ?? d.bench.toLog2,
    },
  };
}

/** `elu(alpha=0.5)`: the function with its non-default parameters. */
export function functionToken(f: PlottedFunction): string {
  const info = findFunction(f.name);
  const changed = info
    ? paramControls(info)
        .filter((c) => f.params[c.name] !== undefined && f.params[c.name] !== c.default)
        .map((c) => `${c.name}=${f.params[c.name]}`)
    : [];
  return changed.length > 0 ? `${f.name}(${changed.join(",")})` : f.name;
}

/** Percent-encodes a value but keeps `,` `=` `(` `)` readable (all are safe in a query value). */
function encodeValue(v: string): string {
  return encodeURIComponent(v).replace(/%2C/gi, ",").replace(/%3D/gi, "=");
}

/** The query string (with its `?`) for a state. */
export function queryFromState(s: PlaygroundState): string {
  const pairs: [string, string][] = [
    ["tab", s.tab],
    ["device", s.device],
    ["f", s.functions.map(functionToken).join(",")],
  ];
  if (s.editing !== undefined) pairs.push(["edit", s.editing]);
  pairs.push(
    ["x", `${s.xMin},${s.xMax}`],
    ["bench", s.bench.fn],
    ["sizes", `${s.bench.fromLog2}-${s.bench.toLog2}`],
  );
  return `?${pairs.map(([k, v]) => `${k}=${encodeValue(v)}`).join("&")}`;
}
