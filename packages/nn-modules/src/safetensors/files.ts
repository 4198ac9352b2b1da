import { readFileBytes, writeFileBytes } from "../io/files.js";
import { readSafetensors, type SafetensorsContents } from "./read.js";
import { type NamedArrays, writeSafetensors } from "./write.js";

/** Reads a safetensors file, with errors under `fn`'s name (Node only). */
export async function readSafetensorsFile(fn: string, path: string): Promise<SafetensorsContents> {
  return readSafetensors(await readFileBytes(fn, path), fn, JSON.stringify(path));
}

/** Writes a safetensors file, with errors under `fn`'s name (Node only). */
export async function writeSafetensorsFile(
  fn: string,
  path: string,
  arrays: NamedArrays,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileBytes(fn, path, await writeSafetensors(arrays, metadata, fn));
}

/** `loadSafetensors(path)`: the tensors and metadata of a safetensors file (Node only). */
export function loadSafetensors(path: string): Promise<SafetensorsContents> {
  return readSafetensorsFile("loadSafetensors", path);
}

/** `saveSafetensors(path, arrays, metadata?)`: writes a safetensors file (Node only). */
export function saveSafetensors(
  path: string,
  arrays: NamedArrays,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  return writeSafetensorsFile("saveSafetensors", path, arrays, metadata);
}
