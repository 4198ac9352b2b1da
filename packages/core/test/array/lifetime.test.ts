import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  array,
  evaluate,
  getBackend,
  maximum,
  registerBackend,
  reshape,
  setDefaultDevice,
} from "../../src/index.js";
import { FakeBackend } from "../backend/fake-backend.js";

// The collector, without starting the test process with --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const DEVICE = "fake-lifetime";
const live = () => getBackend(DEVICE).liveBuffers();

/** Collects garbage and lets finalizers run until `done()` or 50 tries. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

beforeAll(async () => {
  registerBackend(DEVICE, () => new FakeBackend(DEVICE, true));
  await setDefaultDevice(DEVICE);
});

describe("array lifetime", () => {
  it("an array dropped without dispose() gives its buffer back once collected", async () => {
    const before = live();
    await (async () => {
      const x = array([1, 2, 3]);
      await evaluate(x);
    })();
    expect(live()).toBe(before + 1);
    await collectUntil(() => live() === before);
    expect(live()).toBe(before);
  });

  it("a disposed array, once collected, does not release the buffer a view still holds", async () => {
    const before = live();
    const view = await (async () => {
      const x = array([1, 2, 3]);
      await evaluate(x);
      const v = reshape(x, [3, 1]);
      await evaluate(v);
      x.dispose();
      x.dispose(); // a second dispose is a no-op
      return v;
    })();
    expect(live()).toBe(before + 1);
    // Give the collector every chance to finalize the disposed array (it is unreachable now).
    for (let i = 0; i < 10; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(live()).toBe(before + 1);
    expect(Array.from(await view.data())).toEqual([1, 2, 3]);
    view.dispose();
    expect(live()).toBe(before);
  });

  it("views dropped without dispose() free the shared buffer when the last one is collected", async () => {
    const before = live();
    await (async () => {
      const x = array([4, 5, 6, 7]);
      await evaluate(x);
      const v = reshape(x, [2, 2]);
      await evaluate(v);
    })();
    expect(live()).toBe(before + 1);
    await collectUntil(() => live() === before);
    expect(live()).toBe(before);
  });
});

describe("array shapes", () => {
  it("are frozen, and an op with a scalar shares its input's shape", () => {
    const x = array([[1, 2, 3]]);
    expect(Object.isFrozen(x.shape)).toBe(true);
    const y = maximum(x, 0);
    expect(y.shape).toBe(x.shape);
    expect(() => (y.shape as number[]).push(4)).toThrow(TypeError);
    expect(x.shape).toEqual([1, 3]);
    y.dispose();
    x.dispose();
  });
});
