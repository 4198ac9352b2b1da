import type { StorageArray } from "@nnkit/core";

/** safetensors stores elements little-endian; typed arrays use the host's order. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapInPlace(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

/** The elements of `data` as little-endian bytes (a view on little-endian hosts). */
export function littleEndianBytes(data: StorageArray): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (HOST_IS_LITTLE_ENDIAN) return view;
  const copy = view.slice();
  swapInPlace(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/**
 * Little-endian elements of `size` bytes copied into a fresh buffer in host order. The copy
 * also aligns them: tensors in a file need not start on a multiple of their element size.
 */
export function hostOrderBuffer(bytes: Uint8Array, size: number): ArrayBuffer {
  // Not bytes.slice(): on a Node Buffer that is a view, not a copy.
  const copy = new Uint8Array(bytes);
  if (!HOST_IS_LITTLE_ENDIAN) swapInPlace(copy, size);
  return copy.buffer;
}
