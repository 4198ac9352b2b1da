import type { FusedExpr } from "@nnkit/core";
import type { InputLayout, KernelArgs } from "../elementwise/prepare.js";
import { type WasmApi, type WasmMemory, wasmApi } from "./api.js";
import { compileSimdModule, KERNEL_EXPORT } from "./compile-simd.js";
import { simdUnsupportedReason } from "./support.js";

/** Elements per staging chunk: one 64 KiB WebAssembly page per array, so chunks stay in L2. */
export const CHUNK = 16384;
const PAGE_BYTES = 65536;
const CHUNK_BYTES = CHUNK * 4;

/** Chrome refuses synchronous compilation of larger modules on the main thread. */
const MAX_SYNC_MODULE_BYTES = 4096;

/** A SIMD kernel bound to the runtime's memory; runs one expression over KernelArgs. */
export type WasmKernel = (args: KernelArgs) => void;

/** A minimal module using the SIMD instructions the kernels need (promote, demote, f64x2.max). */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x1a, 0x01, 0x18, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00,
  0x80, 0x3f, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x80, 0x3f, 0xfd, 0x5f, 0xfd, 0x5e, 0x0b,
]);

/** Whether this environment runs WebAssembly SIMD128 (and, under a CSP, may compile it). */
export function wasmSimdAvailable(): boolean {
  try {
    const api = wasmApi();
    if (api === undefined || !api.validate(PROBE)) return false;
    new api.Instance(new api.Module(PROBE));
    return true;
  } catch {
    return false;
  }
}

/**
 * The WebAssembly side of the CPU backend: one memory shared by every kernel, used as staging.
 * Array storage stays in JavaScript typed arrays; each call copies its contiguous float32
 * inputs into the memory chunk by chunk (CHUNK elements at a time, so the working set stays in
 * cache), runs the kernel and copies the chunk's result out. Staging is one page per input plus
 * one for the output; the memory grows to the largest kernel seen and is then reused (no view
 * outlives a call, so growing is safe).
 */
export class WasmRuntime {
  private readonly api: WasmApi;
  readonly memory: WasmMemory;
  private heap: Float32Array;

  constructor() {
    const api = wasmApi();
    if (api === undefined) throw new Error("WebAssembly is not available");
    this.api = api;
    this.memory = new api.Memory({ initial: 2 });
    this.heap = new Float32Array(this.memory.buffer);
  }

  /** Bytes of WebAssembly memory reserved for staging (grows, never shrinks). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  private ensureSlots(slots: number): Float32Array {
    const pages = slots * (CHUNK_BYTES / PAGE_BYTES);
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    if (have < pages) this.memory.grow(pages - have);
    if (this.heap.buffer !== this.memory.buffer) this.heap = new Float32Array(this.memory.buffer);
    return this.heap;
  }

  /** Compiles `expr` for the given input layouts, or returns why it stays on JavaScript. */
  compile(expr: FusedExpr, layouts: readonly InputLayout[]): WasmKernel | string {
    const reason = simdUnsupportedReason(expr, layouts);
    if (reason !== undefined) return reason;
    const bytes = compileSimdModule(expr, layouts);
    if (bytes.length > MAX_SYNC_MODULE_BYTES) return `module of ${bytes.length} bytes`;
    let run: (...args: number[]) => void;
    try {
      const instance = new this.api.Instance(new this.api.Module(bytes), {
        env: { memory: this.memory },
      });
      run = instance.exports[KERNEL_EXPORT] as (...args: number[]) => void;
    } catch (e) {
      return `compile failed: ${(e as Error).message}`;
    }

    const k = expr.inputDtypes.length;
    const contiguous = layouts.flatMap((l, i) => (l === "contiguous" ? [i] : []));
    const outSlot = contiguous.length;
    const callArgs = new Array<number>(k + 2 + expr.scalarCount + k).fill(0);
    contiguous.forEach((input, slot) => {
      callArgs[input] = slot * CHUNK_BYTES;
    });
    callArgs[k] = outSlot * CHUNK_BYTES;

    return (args: KernelArgs) => {
      const heap = this.ensureSlots(outSlot + 1);
      for (let j = 0; j < expr.scalarCount; j++) {
        callArgs[k + 2 + j] = args.scalars[j] as number;
      }
      for (let i = 0; i < k; i++) {
        if (layouts[i] === "constant") {
          callArgs[k + 2 + expr.scalarCount + i] = args.inputs[i]?.[args.offsets[i] as number] ?? 0;
        }
      }
      const out = args.out as Float32Array;
      const n = out.length;
      const outBase = outSlot * CHUNK;
      for (let start = 0; start < n; start += CHUNK) {
        const len = Math.min(CHUNK, n - start);
        for (let s = 0; s < contiguous.length; s++) {
          const input = contiguous[s] as number;
          const src = args.inputs[input] as Float32Array;
          const from = (args.offsets[input] as number) + start;
          heap.set(src.subarray(from, from + len), s * CHUNK);
        }
        callArgs[k + 1] = ((len + 3) & ~3) * 4;
        run(...callArgs);
        out.set(heap.subarray(outBase, outBase + len), start);
      }
    };
  }
}
