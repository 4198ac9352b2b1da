import * as mx from "@nnkit/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CpuBackend } from "../src/index.js";

describe("CpuBackend", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("compiles one kernel per expression structure, whatever the size or constants", async () => {
    const name = "cpu-cache-test";
    const backend = new CpuBackend({ name, mode: "compiled" });
    mx.registerBackend(name, () => backend);
    await mx.setDefaultDevice(name);
    try {
      const run = async (n: number, c: number) => {
        const x = mx.arange(n).astype("float32");
        const y = mx.tanh(x.multiply(c)).add(c);
        await y.data();
      };
      await run(10, 0.5);
      const afterFirst = backend.compiledKernelCount;
      await run(1000, 3.25);
      await run(7, -1);
      expect(backend.compiledKernelCount).toBe(afterFirst);
      // A different structure compiles a new kernel.
      await mx.sigmoid(mx.arange(4).astype("float32")).data();
      expect(backend.compiledKernelCount).toBe(afterFirst + 1);
    } finally {
      await mx.setDefaultDevice("cpu");
    }
  });

  it("softmin is one row kernel over float input (no negated copy); integers are negated first", async () => {
    const name = "cpu-softmin-test";
    const backend = new CpuBackend({ name, mode: "wasm", threads: 1 });
    mx.registerBackend(name, () => backend);
    await mx.setDefaultDevice(name);
    try {
      const x = mx.array(
        Float32Array.from({ length: 3 * 1024 }, (_, i) => Math.sin(i) * 8),
        "float32",
      );
      await mx.evaluate(x);
      const ew = { ...backend.elementwiseRuns };
      const rows = { ...backend.rowRuns };
      const y = mx.softmin(x.reshape([3, 1024]), -1);
      const got = await y.data();
      expect(backend.elementwiseRuns).toEqual(ew);
      expect(backend.rowRuns.wasm + backend.rowRuns.javascript).toBe(
        rows.wasm + rows.javascript + 1,
      );
      const want = await mx.softmax(mx.negative(x).reshape([3, 1024]), -1).data();
      expect(Array.from(got)).toEqual(Array.from(want));
      // int32: negated in int32 (as MLX's -x), then the softmax kernel.
      const before = backend.elementwiseRuns.wasm + backend.elementwiseRuns.compiled;
      const z = await mx.softmin(mx.array([1, 2, 3], "int32")).data();
      expect(backend.elementwiseRuns.wasm + backend.elementwiseRuns.compiled).toBe(before + 1);
      const e = [1, Math.exp(-1), Math.exp(-2)];
      const sum = 1 + Math.exp(-1) + Math.exp(-2);
      e.forEach((v, i) => {
        expect(z[i]).toBeCloseTo(v / sum, 6);
      });
      expect(() => mx.softmin(mx.array([true, false]))).toThrow(/softmin/);
    } finally {
      await mx.setDefaultDevice("cpu");
    }
  });

  it("falls back to the interpreter when code generation is forbidden (CSP)", () => {
    vi.stubGlobal("Function", function Forbidden() {
      throw new EvalError("Refused to evaluate a string as JavaScript (CSP)");
    });
    const backend = new CpuBackend({ mode: "auto" });
    expect(backend.mode).toBe("interpreted");
    vi.unstubAllGlobals();
    expect(new CpuBackend({ mode: "auto" }).mode).toBe("wasm");
  });

  it("uses compiled JavaScript where WebAssembly is unavailable", () => {
    vi.stubGlobal("WebAssembly", undefined);
    expect(new CpuBackend({ mode: "auto" }).mode).toBe("compiled");
    expect(new CpuBackend({ mode: "wasm" }).mode).toBe("compiled");
  });

  it("in forced wasm mode without code generation, falls back to the interpreter", async () => {
    vi.stubGlobal("Function", function Forbidden() {
      throw new EvalError("Refused to evaluate a string as JavaScript (CSP)");
    });
    const name = "cpu-wasm-csp-test";
    const backend = new CpuBackend({ name, mode: "wasm" });
    vi.unstubAllGlobals();
    expect(backend.mode).toBe("wasm");
    mx.registerBackend(name, () => backend);
    await mx.setDefaultDevice(name);
    try {
      const x = mx.array([-2, 0.5, 4]);
      expect(Array.from(await mx.maximum(x, 0).data())).toEqual([0, 0.5, 4]);
      // erfinv has no SIMD form: it takes the JavaScript path, here the interpreter.
      expect(Array.from(await mx.erfinv(mx.array([0])).data())).toEqual([0]);
      expect(backend.elementwiseRuns.wasm).toBe(1);
      expect(backend.elementwiseRuns.interpreted).toBe(1);
      expect(backend.elementwiseRuns.compiled).toBe(0);
    } finally {
      await mx.setDefaultDevice("cpu");
    }
  });

  it("rejects buffers that belong to another backend", () => {
    const a = new CpuBackend({ name: "cpu-a" });
    const b = new CpuBackend({ name: "cpu-b" });
    const buffer = a.upload("float32", new Float32Array([1, 2]));
    expect(() => b.readSync(buffer)).toThrow(/cpu-b: received a buffer of backend "cpu-a"/);
    buffer.release();
    expect(a.liveBuffers()).toBe(0);
  });

  it("registers itself as the default backend on import", () => {
    const info = mx.listBackends().find((b) => b.name === "cpu");
    expect(info).toBeDefined();
    expect(mx.getDefaultDevice()).toBe("cpu");
  });
});
