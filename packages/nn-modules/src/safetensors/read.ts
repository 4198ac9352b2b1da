import {
  array,
  type DType,
  decodeBfloat16,
  decodeFloat16,
  itemSize,
  type Array as MxArray,
  NnkitError,
  reshape,
} from "@nnkit/core";
import { formatShape } from "../module/describe.js";
import { isPlainObject } from "../module/tree.js";
import { hostOrderBuffer } from "./bytes.js";
import { dtypeOfCode, SUPPORTED_CODES } from "./dtypes.js";

/** What a safetensors file holds: its tensors in header order and its string metadata. */
export interface SafetensorsContents {
  readonly tensors: [string, MxArray][];
  readonly metadata: Record<string, string>;
}

/** The reference implementation's cap, which protects readers from absurd header lengths. */
export const MAX_HEADER_BYTES = 100_000_000;

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function isIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * `decodeSafetensors(bytes)`: the tensors and metadata of a safetensors file held in memory.
 * Checks the file the way the reference implementation does (header length, JSON header,
 * dtypes, shapes, offsets that tile the data section exactly) and says what is wrong.
 * float16/bfloat16 tensors keep their dtype; values are exact (NaN payloads become the
 * canonical NaN).
 */
export function decodeSafetensors(source: Uint8Array | ArrayBuffer): SafetensorsContents {
  return readSafetensors(source, "decodeSafetensors", "the data");
}

/** `decodeSafetensors` with errors under `fn`'s name, calling the input `label`. */
export function readSafetensors(
  source: Uint8Array | ArrayBuffer,
  fn: string,
  label: string,
): SafetensorsContents {
  const bad = (why: string) =>
    new NnkitError(fn, `${label} is not a valid safetensors file: ${why}`);
  if (!(source instanceof Uint8Array || source instanceof ArrayBuffer)) {
    throw new NnkitError(fn, `expected a Uint8Array or ArrayBuffer; got ${show(source)}`);
  }
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  if (bytes.byteLength < 8) {
    throw bad(`${bytes.byteLength} bytes is too short to hold the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw bad(`header length ${headerLength} is over the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (8 + headerLength > bytes.byteLength) {
    throw bad(
      `header length ${headerLength} runs past the end of the file (${bytes.byteLength} bytes)`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(8, 8 + headerLength),
    );
    header = JSON.parse(text);
  } catch (e) {
    throw bad(`the header is not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isPlainObject(header)) throw bad(`the header must be a JSON object; got ${show(header)}`);

  const metadata: Record<string, string> = {};
  const meta = header.__metadata__;
  if (meta !== undefined) {
    if (!isPlainObject(meta)) throw bad(`__metadata__ must be an object; got ${show(meta)}`);
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== "string") throw bad(`__metadata__.${k} must be a string; got ${show(v)}`);
      metadata[k] = v;
    }
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const where = `tensor ${JSON.stringify(name)}`;
    if (!isPlainObject(info))
      throw bad(`${where} must be described by an object; got ${show(info)}`);
    const { dtype: code, shape, data_offsets: offsets } = info;
    if (typeof code !== "string") throw bad(`${where} has no dtype string; got ${show(code)}`);
    const dtype = dtypeOfCode(code);
    if (dtype === "unknown" || dtype === "unsupported") {
      throw bad(
        `${where} has ${dtype} dtype ${JSON.stringify(code)} (nnkit reads ${SUPPORTED_CODES.join(", ")})`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isIndex)) {
      throw bad(`${where} has shape ${show(shape)}; expected a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
      throw bad(`${where} has data_offsets ${show(offsets)}; expected [begin, end] byte offsets`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw bad(
        `${where} has data_offsets [${begin}, ${end}] outside the data section, which holds ${dataLength} bytes`,
      );
    }
    const needed = shape.reduce((n: number, d: number) => n * d, 1) * itemSize(dtype);
    if (end - begin !== needed) {
      throw bad(
        `${where} has data_offsets [${begin}, ${end}] (${end - begin} bytes) but shape ${formatShape(shape)} of ${code} needs ${needed} bytes`,
      );
    }
    entries.push({ name, dtype, shape, begin, end });
  }

  // Like the reference reader, require the tensors to tile the data section: no gaps, no
  // overlaps, nothing after the last one.
  let covered = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.begin !== covered) {
      throw bad(
        `tensor ${JSON.stringify(e.name)} starts at byte ${e.begin} of the data section, but the tensors before it end at byte ${covered} (tensors must tile the data section without gaps or overlaps)`,
      );
    }
    covered = e.end;
  }
  if (covered !== dataLength) {
    throw bad(`the tensors cover ${covered} bytes but the data section holds ${dataLength}`);
  }

  const tensors: [string, MxArray][] = entries.map((e) => [
    e.name,
    toArray(e, bytes.subarray(dataStart + e.begin, dataStart + e.end)),
  ]);
  return { tensors, metadata };
}

function toArray(e: Entry, raw: Uint8Array): MxArray {
  const buffer = hostOrderBuffer(raw, itemSize(e.dtype));
  let flat: MxArray;
  switch (e.dtype) {
    case "float32":
      flat = array(new Float32Array(buffer), "float32");
      break;
    case "float16":
    case "bfloat16": {
      // Core builds arrays from numbers; every half value is exact as a float32, and encoding
      // it back to the half type reproduces the same bits.
      const bits = new Uint16Array(buffer);
      const values = new Float32Array(bits.length);
      if (e.dtype === "float16") decodeFloat16(bits, values);
      else decodeBfloat16(bits, values);
      flat = array(values, e.dtype);
      break;
    }
    case "int32":
      flat = array(new Int32Array(buffer), "int32");
      break;
    case "uint32":
      flat = array(new Uint32Array(buffer), "uint32");
      break;
    case "bool":
      flat = array(new Uint8Array(buffer), "bool");
      break;
  }
  return reshape(flat, e.shape);
}
