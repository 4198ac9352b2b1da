import { beforeEach, describe, expect, it, vi } from "vitest";
import { FakeBackend } from "./fake-backend.js";

// The registry is module state; every test gets a fresh copy of it.
type Registry = typeof import("../../src/backend/registry.js");
let reg: Registry;

beforeEach(async () => {
  vi.resetModules();
  reg = await import("../../src/backend/registry.js");
});

/** The error `run` throws or rejects with; NnkitError is checked by shape since modules reset. */
async function failure(run: () => unknown): Promise<{ name: string; fn: string; message: string }> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return e as { name: string; fn: string; message: string };
  }
  throw new Error("expected a failure, but the call succeeded");
}

const sync = (name: string) => () => new FakeBackend(name, true);
const later = (name: string) => () => Promise.resolve(new FakeBackend(name, false));

describe("registry", () => {
  it("registering does not initialise", () => {
    const factory = vi.fn(sync("a"));
    reg.registerBackend("a", factory);
    expect(factory).not.toHaveBeenCalled();
    expect(reg.listBackends()).toEqual([
      { name: "a", priority: 0, initialized: false, isDefault: false },
    ]);
  });

  it("an initialised backend shows its live buffers and, where it has one, its description", () => {
    reg.registerBackend("plain", sync("plain"), { priority: 1 });
    reg.registerBackend("described", () => {
      const b = new FakeBackend("described", true);
      return Object.assign(b, { description: "Fake GPU 9000" });
    });
    reg.getDefaultDevice(); // initialises the first that works, by priority
    expect(reg.listBackends()).toEqual([
      { name: "plain", priority: 1, initialized: true, isDefault: true, liveBuffers: 0 },
      { name: "described", priority: 0, initialized: false, isDefault: false },
    ]);
    reg.getBackend("described");
    expect(reg.listBackends()[1]).toEqual({
      name: "described",
      priority: 0,
      initialized: true,
      isDefault: false,
      description: "Fake GPU 9000",
      liveBuffers: 0,
    });
  });

  it("the highest-priority backend that initialises becomes the default", () => {
    reg.registerBackend("low", sync("low"), { priority: 1 });
    reg.registerBackend("high", sync("high"), { priority: 10 });
    reg.registerBackend("mid", sync("mid"), { priority: 5 });
    expect(reg.getDefaultDevice()).toBe("high");
    const list = reg.listBackends();
    expect(list.map((b) => b.name)).toEqual(["high", "mid", "low"]);
    expect(list.map((b) => b.isDefault)).toEqual([true, false, false]);
    expect(list[0]?.initialized).toBe(true);
  });

  it("a failing factory is skipped and reported in listBackends with its error text", () => {
    reg.registerBackend(
      "broken",
      () => {
        throw new Error("no GPU adapter found");
      },
      { priority: 10 },
    );
    reg.registerBackend("ok", sync("ok"));
    expect(reg.getDefaultDevice()).toBe("ok");
    const broken = reg.listBackends().find((b) => b.name === "broken");
    expect(broken).toEqual({
      name: "broken",
      priority: 10,
      initialized: false,
      error: "no GPU adapter found",
      isDefault: false,
    });
  });

  it("a factory that throws a non-Error is reported too", () => {
    reg.registerBackend("odd", () => {
      throw "plain string";
    });
    reg.registerBackend("ok", sync("ok"), { priority: -1 });
    expect(reg.getDefaultDevice()).toBe("ok");
    expect(reg.listBackends().find((b) => b.name === "odd")?.error).toBe("plain string");
  });

  it("an asynchronous factory needs initBackends() before it can be the default", async () => {
    reg.registerBackend("gpu", later("gpu"), { priority: 10 });
    const e = await failure(() => reg.getDefaultDevice());
    expect(e.name).toBe("NnkitError");
    expect(e.fn).toBe("getDefaultDevice");
    expect(e.message).toContain("initBackends()");
    expect(e.message).toContain("gpu");
    expect(await reg.initBackends()).toBe("gpu");
    expect(reg.getDefaultDevice()).toBe("gpu");
    expect(reg.listBackends()[0]).toMatchObject({
      name: "gpu",
      initialized: true,
      isDefault: true,
    });
  });

  it("an asynchronous backend can be chosen with setDefaultDevice", async () => {
    reg.registerBackend("cpu", sync("cpu"));
    reg.registerBackend("gpu", later("gpu"), { priority: 10 });
    await reg.setDefaultDevice("gpu");
    expect(reg.getDefaultDevice()).toBe("gpu");
    expect(reg.getBackend("gpu").canReadSync).toBe(false);
  });

  it("getBackend of an asynchronous backend that is not ready says how to initialise it", async () => {
    reg.registerBackend("gpu", later("gpu"));
    const e = await failure(() => reg.getBackend("gpu", "array"));
    expect(e.fn).toBe("array");
    expect(e.message).toContain('await setDefaultDevice("gpu")');
  });

  it("getBackend returns the backend object itself, and names an unknown one", async () => {
    const backend = new FakeBackend("obj", true);
    reg.registerBackend("obj", () => backend);
    expect(reg.getBackend("obj")).toBe(backend);
    const e = await failure(() => reg.getBackend("nope"));
    expect(e.fn).toBe("getBackend");
    expect(e.message).toMatch(/no backend named "nope" is registered/);
  });

  it("the package exports getBackend", async () => {
    const core = await import("../../src/index.js");
    expect(typeof core.getBackend).toBe("function");
  });

  it("initBackends initialises every backend and prefers priority over speed", async () => {
    reg.registerBackend("cpu", sync("cpu"), { priority: 0 });
    reg.registerBackend("gpu", later("gpu"), { priority: 10 });
    expect(await reg.initBackends()).toBe("gpu");
    expect(reg.listBackends().every((b) => b.initialized)).toBe(true);
  });

  it("initBackends keeps a default the user chose", async () => {
    reg.registerBackend("cpu", sync("cpu"), { priority: 0 });
    reg.registerBackend("gpu", later("gpu"), { priority: 10 });
    await reg.setDefaultDevice("cpu");
    expect(await reg.initBackends()).toBe("cpu");
    expect(reg.getDefaultDevice()).toBe("cpu");
  });

  it("an asynchronous factory that rejects is reported, and initBackends falls back", async () => {
    reg.registerBackend("gpu", () => Promise.reject(new Error("adapter lost")), { priority: 10 });
    reg.registerBackend("cpu", sync("cpu"));
    expect(await reg.initBackends()).toBe("cpu");
    expect(reg.listBackends().find((b) => b.name === "gpu")).toMatchObject({
      initialized: false,
      error: "adapter lost",
    });
  });

  it("initBackends with nothing that initialises throws, listing what failed", async () => {
    reg.registerBackend("gpu", () => Promise.reject(new Error("adapter lost")));
    const e = await failure(() => reg.initBackends());
    expect(e.fn).toBe("initBackends");
    expect(e.message).toContain("gpu (adapter lost)");
  });

  it("no registered backend: the error says to import one", async () => {
    const e = await failure(() => reg.getDefaultDevice());
    expect(e.fn).toBe("getDefaultDevice");
    expect(e.message).toContain("no backend is registered");
    expect(e.message).toContain("@nnkit/kernels-cpu");
  });

  it("setDefaultDevice of an unregistered backend rejects, listing the registered ones", async () => {
    reg.registerBackend("cpu", sync("cpu"));
    const e = await failure(() => reg.setDefaultDevice("webgpu"));
    expect(e.name).toBe("NnkitError");
    expect(e.fn).toBe("setDefaultDevice");
    expect(e.message).toBe(
      'setDefaultDevice: no backend named "webgpu" is registered (registered: cpu)',
    );
  });

  it("setDefaultDevice of a backend that fails rejects with its error and keeps the old default", async () => {
    reg.registerBackend("cpu", sync("cpu"));
    reg.registerBackend("gpu", () => Promise.reject(new Error("adapter lost")), { priority: 10 });
    await reg.setDefaultDevice("cpu");
    const e = await failure(() => reg.setDefaultDevice("gpu"));
    expect(e.fn).toBe("setDefaultDevice");
    expect(e.message).toContain("adapter lost");
    expect(reg.getDefaultDevice()).toBe("cpu");
  });

  it("registerBackend validates its arguments", async () => {
    const e = await failure(() => reg.registerBackend("", sync("x")));
    expect(e.fn).toBe("registerBackend");
    expect(e.message).toContain("non-empty string");
    const f = await failure(() => reg.registerBackend("x", "nope" as unknown as () => FakeBackend));
    expect(f.message).toContain("factory must be a function");
  });

  it("re-registering an initialised backend is harmless; an uninitialised one is replaced", () => {
    const first = vi.fn(sync("a"));
    const second = vi.fn(sync("a"));
    reg.registerBackend("a", first);
    reg.registerBackend("a", second, { priority: 3 });
    expect(reg.getDefaultDevice()).toBe("a");
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    const third = vi.fn(sync("a"));
    reg.registerBackend("a", third);
    expect(reg.getBackend("a")).toBeDefined();
    expect(third).not.toHaveBeenCalled();
  });

  it("initializedBackends lists only the initialised ones", async () => {
    reg.registerBackend("a", sync("a"));
    reg.registerBackend("b", sync("b"));
    expect(reg.initializedBackends()).toEqual([]);
    reg.getBackend("b");
    expect(reg.initializedBackends().map((b) => b.name)).toEqual(["b"]);
  });
});
