/**
 * The activation fixtures (packages/nn-functions/test/fixtures/activations-*.json), written by
 * scripts/fixtures/gen_activations.py from mpmath, decoded here into numbers. Every value is
 * an IEEE bit pattern in hex, so it round-trips exactly; see the generator for the format.
 */

import { BFLOAT16, decodeBits, FLOAT16, FLOAT32, type FloatFormat } from "@nnkit/conformance";
import f32Json from "../fixtures/activations-float32.json";
import halfJson from "../fixtures/activations-half.json";
import rowsJson from "../fixtures/activations-rows.json";

/** Parameters as the generator wrote them: names of the catalog, float64 values. */
export type FixtureParams = Readonly<Record<string, number | readonly number[]>>;

/** One elementwise case: inputs and the exact results for them. */
export interface ElementwiseCase {
  readonly fn: string;
  readonly params: FixtureParams;
  readonly x: readonly number[];
  /** float32 file: exact results rounded to float32. Half file: round-to-odd float64s. */
  readonly y: readonly number[];
  /** Output dtype (half file only; the float32 file's is float32, step's int32). */
  readonly out?: string;
}

export interface RowCase {
  readonly fn: string;
  readonly params: FixtureParams;
  readonly shape: readonly number[];
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface AxisCase {
  readonly fn: string;
  readonly axis: number | readonly number[];
  /** Shape of the result. */
  readonly shape: readonly number[];
  readonly y: readonly number[];
}

const scratch = new DataView(new ArrayBuffer(8));

function word(hex: string): number {
  const v = Number.parseInt(hex, 16);
  if (!Number.isFinite(v)) throw new Error(`bad hex value in an activation fixture: "${hex}"`);
  return v;
}

/** A value from its bit pattern: 8 hex digits float32, 16 float64, 4 the given half format. */
export function fromHex(hex: string, half: FloatFormat = FLOAT16): number {
  if (hex.length === 8) {
    scratch.setUint32(0, word(hex));
    return scratch.getFloat32(0);
  }
  if (hex.length === 16) {
    scratch.setUint32(0, word(hex.slice(0, 8)));
    scratch.setUint32(4, word(hex.slice(8)));
    return scratch.getFloat64(0);
  }
  if (hex.length === 4) return decodeBits(half, word(hex));
  throw new Error(`bad hex value in an activation fixture: "${hex}"`);
}

function list(s: string, half?: FloatFormat): number[] {
  return s === "" ? [] : s.split(" ").map((h) => fromHex(h, half));
}

function pairs(s: string, half?: FloatFormat): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  if (s !== "") {
    for (const p of s.split(" ")) {
      const [a, b] = p.split(":") as [string, string];
      x.push(fromHex(a, half));
      y.push(fromHex(b, half));
    }
  }
  return { x, y };
}

interface RawCase {
  readonly fn: string;
  readonly params: FixtureParams;
  readonly y: string;
  readonly extra: string;
  readonly out?: string;
}
interface RawRow {
  readonly fn: string;
  readonly params: FixtureParams;
  readonly shape: readonly number[];
  readonly x: string;
  readonly y: string;
}
interface RawElementwise {
  readonly inputs: string;
  readonly cases: readonly RawCase[];
}
interface RawAxes {
  readonly shape: readonly number[];
  readonly x: string;
  readonly cases: readonly {
    readonly fn: string;
    readonly axis: number | readonly number[];
    readonly shape: readonly number[];
    readonly y: string;
  }[];
}

function elementwise(raw: RawElementwise, half?: FloatFormat): ElementwiseCase[] {
  const inputs = list(raw.inputs, half);
  return raw.cases.map((c) => {
    const extra = pairs(c.extra, half);
    const y = [...list(c.y, half), ...extra.y];
    if (y.length !== inputs.length + extra.x.length) {
      throw new Error(`activation fixture ${c.fn}: ${y.length} results for the inputs`);
    }
    return {
      fn: c.fn,
      params: c.params,
      x: [...inputs, ...extra.x],
      y,
      ...(c.out === undefined ? {} : { out: c.out }),
    };
  });
}

function rows(raw: readonly RawRow[], half?: FloatFormat): RowCase[] {
  return raw.map((r) => ({
    fn: r.fn,
    params: r.params,
    shape: r.shape,
    x: list(r.x, half),
    y: list(r.y, half),
  }));
}

let cache:
  | {
      float32: ElementwiseCase[];
      rows: RowCase[];
      axes: { shape: readonly number[]; x: number[]; cases: AxisCase[] };
      half: Record<"float16" | "bfloat16", { cases: ElementwiseCase[]; rows: RowCase[] }>;
    }
  | undefined;

/** Every fixture, decoded once. */
export function activationFixtures(): NonNullable<typeof cache> {
  if (cache) return cache;
  const axesRaw = rowsJson.axes as RawAxes;
  const halfRaw = halfJson as unknown as Record<
    "float16" | "bfloat16",
    RawElementwise & { rows: readonly RawRow[] }
  >;
  const half = (name: "float16" | "bfloat16", format: FloatFormat) => ({
    cases: elementwise(halfRaw[name], format),
    rows: rows(halfRaw[name].rows, format),
  });
  cache = {
    float32: elementwise(f32Json as unknown as RawElementwise),
    rows: rows(rowsJson.rows as readonly RawRow[]),
    axes: {
      shape: axesRaw.shape,
      x: list(axesRaw.x),
      cases: axesRaw.cases.map((c) => ({ fn: c.fn, axis: c.axis, shape: c.shape, y: list(c.y) })),
    },
    half: { float16: half("float16", FLOAT16), bfloat16: half("bfloat16", BFLOAT16) },
  };
  return cache;
}

/** The format a half fixture's values are in. */
export const HALF_FORMATS = { float16: FLOAT16, bfloat16: BFLOAT16 } as const;
export { FLOAT32 };
