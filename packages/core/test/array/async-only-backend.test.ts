import { beforeAll, describe, expect, it } from "vitest";
import {
  add,
  array,
  evaluate,
  getStats,
  listBackends,
  NnkitError,
  registerBackend,
  setDefaultDevice,
} from "../../src/index.js";
import { FakeBackend } from "../backend/fake-backend.js";

function thrown(run: () => unknown): NnkitError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(NnkitError);
    return e as NnkitError;
  }
  throw new Error("expected an NnkitError, but nothing was thrown");
}

// A backend like WebGPU: it can only read asynchronously. A second one reads synchronously.
beforeAll(async () => {
  registerBackend("fake-async", () => Promise.resolve(new FakeBackend("fake-async", false)), {
    priority: 5,
  });
  registerBackend("fake-sync", () => new FakeBackend("fake-sync", true));
  await setDefaultDevice("fake-async");
});

describe("an array on a backend that cannot read synchronously", () => {
  it("is listed as initialised and default", () => {
    expect(listBackends().find((b) => b.name === "fake-async")).toMatchObject({
      initialized: true,
      isDefault: true,
    });
  });

  it("dataSync() throws an NnkitError that points to await x.data(), allocating nothing", () => {
    const x = array([1, 2, 3]);
    const before = getStats().liveBuffers;
    const e = thrown(() => x.dataSync());
    expect(e.fn).toBe("dataSync");
    expect(e.message).toMatch(/^dataSync: /);
    expect(e.message).toContain("fake-async");
    expect(e.message).toContain("await x.data()");
    expect(getStats().liveBuffers).toBe(before);
    x.dispose();
  });

  it("tolist() and item() name themselves and the asynchronous alternative", () => {
    const x = array([[1, 2]]);
    expect(thrown(() => x.tolist()).message).toMatch(/^tolist: .*await x\.data\(\)/);
    const one = array([5]);
    expect(thrown(() => one.item()).message).toMatch(/^item: .*await x\.data\(\)/);
    // item() checks the size first, on every backend.
    expect(thrown(() => x.item()).message).toMatch(/^item: .*one element/);
  });

  it("data() and toFloat32() work, and reshaped views read through", async () => {
    const x = array([
      [1, 2],
      [3, 4],
    ]);
    expect(await x.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(await x.reshape([4]).data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(await array([1, 0.5], "float16").toFloat32()).toEqual(new Float32Array([1, 0.5]));
    expect(await array([1, 0.5], "float16").data()).toEqual(new Uint16Array([0x3c00, 0x3800]));
  });

  it("toString() prints a placeholder instead of reading", async () => {
    const x = array([1, 2]);
    expect(x.toString()).toContain("unevaluated on fake-async");
    expect(x.toString()).toContain("shape=(2)");
    await evaluate(x);
    expect(x.toString()).toContain("await x.data()");
    expect(x.toString()).toContain("dtype=float32");
  });

  it("dispose returns the live buffer count to its start", async () => {
    const before = getStats().liveBuffers;
    const x = array([1, 2, 3]);
    await evaluate(x);
    expect(getStats().liveBuffers).toBe(before + 1);
    x.dispose();
    expect(getStats().liveBuffers).toBe(before);
  });

  it("ops across backends throw; to() moves data explicitly, also reading asynchronously", async () => {
    const x = array([1, 2, 3]);
    const y = array([4, 5, 6]).to("fake-sync");
    const e = thrown(() => add(x, y));
    expect(e.fn).toBe("add");
    expect(e.message).toContain('"fake-async" and "fake-sync"');
    expect(e.message).toContain('x.to("fake-async")');
    const moved = x.to("fake-sync");
    expect(moved.device).toBe("fake-sync");
    expect(await moved.data()).toEqual(new Float32Array([1, 2, 3]));
    expect(moved.dataSync()).toEqual(new Float32Array([1, 2, 3]));
    expect(x.to("fake-async")).toBe(x);
  });

  it("dataSync() of an array moved from an async-only backend names dataSync when the source is unread", () => {
    const source = array([7, 8]);
    const moved = source.to("fake-sync");
    const e = thrown(() => moved.dataSync());
    expect(e.fn).toBe("dataSync");
    expect(e.message).toContain("fake-async");
    expect(e.message).toContain("await");
  });
});
