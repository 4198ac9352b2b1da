import { wasmApi } from "./api.js";
import { Simd } from "./opcodes.js";

/**
 * (v128, v128, v128) → v128 computing f64x2.relaxed_madd: valid where the engine implements
 * the relaxed-SIMD proposal (Chrome 114+, Node 22+; Node 20 behind
 * --experimental-wasm-relaxed-simd).
 */
const MADD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  // type 0: (v128 v128 v128) → v128
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b,
  // function 0 of type 0
  0x03,
  0x02,
  0x01,
  0x00,
  // body: local.get 0, 1, 2; f64x2.relaxed_madd (0xfd, LEB128 of the opcode)
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  0xfd,
  (Simd.f64x2RelaxedMadd & 0x7f) | 0x80,
  Simd.f64x2RelaxedMadd >> 7,
  0x0b,
]);

let available: boolean | undefined;

/**
 * Whether kernels may use f64x2.relaxed_madd: a·b + c with one rounding (a fused
 * multiply-add, where the hardware has one) or two (a multiply, then an add). The fast math
 * uses it only in its polynomials, whose error bounds hold either way (fusing only removes a
 * rounding), so its results may differ by engine and machine, always within those bounds.
 */
export function relaxedSimdAvailable(): boolean {
  if (available === undefined) {
    try {
      const api = wasmApi();
      available = api !== undefined && api.validate(MADD_PROBE);
    } catch {
      available = false;
    }
  }
  return available;
}
