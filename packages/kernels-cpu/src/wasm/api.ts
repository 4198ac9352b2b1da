/**
 * The part of the WebAssembly JavaScript API the kernels use, typed locally: the package
 * compiles without the DOM lib, and must load (falling back to JavaScript) where there is no
 * WebAssembly at all.
 */
export interface WasmMemory {
  /** A SharedArrayBuffer for a shared memory (whose views survive growth), else an ArrayBuffer. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export interface MemoryDescriptor {
  readonly initial: number;
  readonly maximum?: number;
  readonly shared?: boolean;
}

export interface WasmApi {
  readonly Memory: new (descriptor: MemoryDescriptor) => WasmMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (
    module: object,
    imports?: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The global WebAssembly object, or undefined where the environment has none. */
export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === "object" && api !== null ? api : undefined;
}
