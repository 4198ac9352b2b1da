import "@nnkit/kernels-cpu";
import { array, type Array as MxArray } from "@nnkit/core";
import { expect } from "vitest";

/** The elements of `a` as plain numbers (float16/bfloat16 decoded). */
export async function values(a: MxArray): Promise<number[]> {
  return Array.from(await a.toFloat32());
}

/** MLX's `|Δ| < tol` check, plus shape and dtype. */
export async function expectClose(
  a: MxArray,
  expected: readonly number[],
  { tol = 1e-4, shape = [expected.length], dtype = "float32" } = {},
): Promise<void> {
  expect(a.shape).toEqual(shape);
  expect(a.dtype).toBe(dtype);
  const got = await values(a);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    expect(
      Math.abs(v - (expected[i] as number)),
      `element ${i}: ${v} vs ${expected[i]}`,
    ).toBeLessThan(tol);
  });
}

/** Bit-identical results: same shape, dtype and stored bytes (NaN matches NaN, -0 only -0). */
export async function expectSameArray(a: MxArray, b: MxArray): Promise<void> {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const bytes = async (x: MxArray) => {
    const d = await x.data();
    return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  };
  expect(await bytes(a)).toEqual(await bytes(b));
}

export const f32 = (v: number[]) => array(v, "float32");
