import { evaluate, itemSize, Array as MxArray, NnkitError } from "@nnkit/core";
import { typeName } from "../module/describe.js";
import { isPlainObject } from "../module/tree.js";
import { littleEndianBytes } from "./bytes.js";
import { SAFETENSORS_DTYPE } from "./dtypes.js";

/** Named arrays: `[name, array]` pairs (kept in order) or an object of arrays. */
export type NamedArrays = Iterable<readonly [string, MxArray]> | Readonly<Record<string, MxArray>>;

function entriesOf(fn: string, arrays: NamedArrays): [string, MxArray][] {
  const list: (readonly [unknown, unknown])[] = isPlainObject(arrays)
    ? Object.entries(arrays)
    : [...(arrays as Iterable<readonly [string, MxArray]>)];
  const seen = new Set<string>();
  return list.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new NnkitError(fn, `entry ${i} must be a [name, array] pair; got ${typeName(pair)}`);
    }
    const [name, value] = pair;
    if (typeof name !== "string" || name === "" || name === "__metadata__") {
      throw new NnkitError(
        fn,
        `tensor names must be non-empty strings other than "__metadata__"; got ${JSON.stringify(name)}`,
      );
    }
    if (seen.has(name)) throw new NnkitError(fn, `tensor name "${name}" appears twice`);
    seen.add(name);
    if (!(value instanceof MxArray)) {
      throw new NnkitError(fn, `tensor "${name}" must be an Array; got ${typeName(value)}`);
    }
    return [name, value];
  });
}

/**
 * `encodeSafetensors(arrays, metadata?)`: the bytes of a safetensors file holding `arrays`
 * (evaluated first). Layout: the header length as a little-endian u64, the JSON header
 * padded with spaces to a multiple of 8 bytes, then each tensor's little-endian data.
 * Tensors are laid out widest dtype first so each one starts aligned to its element size.
 */
export function encodeSafetensors(
  arrays: NamedArrays,
  metadata?: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  return writeSafetensors(arrays, metadata, "encodeSafetensors");
}

/** `encodeSafetensors` with errors under `fn`'s name. */
export async function writeSafetensors(
  arrays: NamedArrays,
  metadata: Readonly<Record<string, string>> | undefined,
  fn: string,
): Promise<Uint8Array> {
  const entries = entriesOf(fn, arrays);
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) {
      throw new NnkitError(fn, `metadata must be an object of strings; got ${typeName(metadata)}`);
    }
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") {
        throw new NnkitError(fn, `metadata values must be strings; "${k}" is ${typeName(v)}`);
      }
    }
  }
  await evaluate(...entries.map(([, a]) => a));
  const ordered = entries
    .map(([name, a], i) => ({ name, a, i }))
    .sort((x, y) => itemSize(y.a.dtype) - itemSize(x.a.dtype) || x.i - y.i);
  const withData = await Promise.all(ordered.map(async (o) => ({ ...o, data: await o.a.data() })));

  const fields: string[] = [];
  if (metadata !== undefined) fields.push(`"__metadata__":${JSON.stringify(metadata)}`);
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const { name, a, data } of withData) {
    const bytes = littleEndianBytes(data);
    const info = {
      dtype: SAFETENSORS_DTYPE[a.dtype],
      shape: a.shape,
      data_offsets: [offset, offset + bytes.byteLength],
    };
    fields.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let header = new TextEncoder().encode(`{${fields.join(",")}}`);
  const padded = Math.ceil(header.byteLength / 8) * 8;
  if (padded !== header.byteLength) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(header);
    header = withSpaces;
  }

  const out = new Uint8Array(8 + header.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, header.byteLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(header.byteLength / 2 ** 32), true);
  out.set(header, 8);
  let pos = 8 + header.byteLength;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.byteLength;
  }
  return out;
}
