import { type DType, getStats, type Array as NdArray, NnkitError } from "@nnkit/core";
import { expect } from "vitest";
import { ulpDistanceF32 } from "./host-reference.js";

/**
 * The elements as JavaScript numbers, read through `data()` / `toFloat32()`, which every
 * backend supports (float16/bfloat16 decoded, bool as 0/1).
 */
export async function readValues(x: NdArray): Promise<number[]> {
  if (x.dtype === "float16" || x.dtype === "bfloat16") return Array.from(await x.toFloat32());
  return Array.from(await x.data());
}

export interface Expected {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly values: readonly number[];
}

// toEqual tells +0 from -0; the structure suites do not care about the sign of zero.
const unsignedZero = (v: number) => (v === 0 ? 0 : v);

/** Checks shape, dtype and exact values (NaN equals NaN). */
export async function expectArray(x: NdArray, expected: Expected): Promise<void> {
  expect(x.shape, "shape").toEqual(expected.shape);
  expect(x.dtype, "dtype").toBe(expected.dtype);
  const got = await readValues(x);
  expect(got.map(unsignedZero), "values").toEqual(expected.values.map(unsignedZero));
}

/** Checks shape, float32 dtype and values within `maxUlp` float32 ulps of a float64 reference. */
export async function expectCloseF32(
  x: NdArray,
  expected: { readonly shape: readonly number[]; readonly values: readonly number[] },
  maxUlp: number,
): Promise<void> {
  expect(x.shape, "shape").toEqual(expected.shape);
  expect(x.dtype, "dtype").toBe("float32");
  const got = Array.from(await x.toFloat32());
  expect(got.length, "size").toBe(expected.values.length);
  const offenders = got.flatMap((v, i) => {
    const e = expected.values[i] as number;
    const ulps = ulpDistanceF32(v, e);
    return ulps <= maxUlp ? [] : [`[${i}] got ${v}, expected ${Math.fround(e)} (${ulps} ulps)`];
  });
  expect(offenders, `elements further than ${maxUlp} ulp from the reference`).toEqual([]);
}

function checkError(
  caught: unknown,
  fn: string,
  problems: readonly (string | RegExp)[],
): NnkitError {
  expect(caught, `${fn} should throw an NnkitError`).toBeInstanceOf(NnkitError);
  const err = caught as NnkitError;
  expect(err.fn, "the function named by the error").toBe(fn);
  expect(err.message.startsWith(`${fn}: `), `"${err.message}" should start with "${fn}: "`).toBe(
    true,
  );
  for (const p of problems) {
    if (typeof p === "string") expect(err.message).toContain(p);
    else expect(err.message).toMatch(p);
  }
  return err;
}

/**
 * Runs `run`, which must throw an NnkitError raised by `fn` whose message names each of
 * `problems`, and must not leave a device buffer allocated.
 */
export function expectNnkitError(
  run: () => unknown,
  fn: string,
  ...problems: (string | RegExp)[]
): NnkitError {
  const before = getStats().liveBuffers;
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  const err = checkError(caught, fn, problems);
  expect(getStats().liveBuffers, "live buffers after the rejected call").toBe(before);
  return err;
}

/** Like `expectNnkitError` for a call that rejects asynchronously. */
export async function expectNnkitRejection(
  run: () => Promise<unknown>,
  fn: string,
  ...problems: (string | RegExp)[]
): Promise<NnkitError> {
  const before = getStats().liveBuffers;
  let caught: unknown;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  const err = checkError(caught, fn, problems);
  expect(getStats().liveBuffers, "live buffers after the rejected call").toBe(before);
  return err;
}

/**
 * Runs `body` with `delta()`, the change in live buffers since it started. Arrays of earlier
 * tests that the garbage collector frees meanwhile lower the count (on backends whose reads
 * yield to the event loop), so a failing body is run again, up to `attempts` times; a real leak
 * fails every time. `body` must dispose what it creates, also when it fails.
 */
export async function withLiveBuffers(
  body: (delta: () => number) => Promise<void>,
  attempts = 3,
): Promise<void> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const start = getStats().liveBuffers;
    try {
      await body(() => getStats().liveBuffers - start);
      return;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/** Kernel launches made by `body` (over every backend). */
export async function countLaunches(body: () => Promise<unknown> | unknown): Promise<number> {
  const before = getStats().kernelLaunches;
  await body();
  return getStats().kernelLaunches - before;
}

/** Disposes every array given, ignoring undefined. */
export function disposeAll(...arrays: (NdArray | readonly NdArray[] | undefined)[]): void {
  for (const a of arrays.flat()) a?.dispose();
}
