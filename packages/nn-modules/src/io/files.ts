import { NnkitError } from "@nnkit/core";

type Fs = typeof import("node:fs/promises");

/**
 * Node's `fs/promises`, imported only when a path is read or written, so that the package
 * loads in browsers. The specifier is a variable so browser bundlers do not try to bundle it.
 */
async function nodeFs(fn: string): Promise<Fs> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof proc?.versions?.node !== "string") {
    throw new NnkitError(
      fn,
      "file paths need Node.js; in a browser pass the file's bytes (a Uint8Array or ArrayBuffer) to loadWeights, and save with toSafetensors()",
    );
  }
  const specifier = "node:fs/promises";
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as Fs;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The bytes of the file at `path` (Node only). */
export async function readFileBytes(fn: string, path: string): Promise<Uint8Array> {
  const fs = await nodeFs(fn);
  try {
    const buf = await fs.readFile(path);
    // A plain Uint8Array over the Buffer's bytes: Buffer's slice() does not copy.
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw new NnkitError(fn, `cannot read ${JSON.stringify(path)}: ${reason(e)}`);
  }
}

/** Writes `bytes` to the file at `path`, replacing it (Node only). */
export async function writeFileBytes(fn: string, path: string, bytes: Uint8Array): Promise<void> {
  const fs = await nodeFs(fn);
  try {
    await fs.writeFile(path, bytes);
  } catch (e) {
    throw new NnkitError(fn, `cannot write ${JSON.stringify(path)}: ${reason(e)}`);
  }
}
