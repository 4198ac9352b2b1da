/**
 * A piece of WGSL (one or more functions) that other pieces or generated shaders call, with the
 * names of the snippets it calls. Shaders include only the snippets their expression reaches.
 */
export interface WgslSnippet {
  readonly name: string;
  readonly deps: readonly string[];
  readonly code: string;
}

export function snippet(name: string, deps: readonly string[], code: string): WgslSnippet {
  return { name, deps, code: code.trim() };
}

const view = new DataView(new ArrayBuffer(4));

/**
 * The float32 nearest to `v` as an exact WGSL hexadecimal literal (`0x1.921fb6p+1f`), so that no
 * decimal-to-binary conversion in a shader compiler can shift a constant by an ulp.
 */
export function f32(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`internal: WGSL constant ${v} is not a finite float32`);
  if (f === 0) return Object.is(f, -0) ? "-0.0f" : "0.0f";
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  const sign = bits >>> 31 ? "-" : "";
  const exp = ((bits >>> 23) & 0xff) - 127;
  if (exp === -127) throw new Error(`internal: WGSL constant ${v} is subnormal in float32`);
  const frac = ((bits & 0x7fffff) << 1).toString(16).padStart(6, "0");
  return `${sign}0x1.${frac}p${exp >= 0 ? "+" : ""}${exp}f`;
}

/**
 * `v` split into float32 high and low parts (hi + lo carries about 48 bits), as a WGSL pair made
 * opaque to the optimizer (see `nk_cv` in core.ts).
 */
export function f32Pair(v: number): string {
  const hi = Math.fround(v);
  const lo = Math.fround(v - hi);
  return `nk_cv(vec2<f32>(${f32(hi)}, ${f32(lo)}))`;
}

/** Horner evaluation of `coefs` (highest degree first) at `x`, as a WGSL expression. */
export function horner(coefs: readonly number[], x: string): string {
  const [first, ...rest] = coefs;
  if (first === undefined) throw new Error("internal: empty polynomial");
  let s = f32(first);
  for (const c of rest) s = `${f32(c)} + ${x} * (${s})`;
  return s;
}
