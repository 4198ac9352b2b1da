import {
  add,
  array,
  concatenate,
  getDefaultDevice,
  listBackends,
  setDefaultDevice,
  where,
} from "@nnkit/core";
import { describe, expect, it } from "vitest";
import type { SuiteOptions } from "../../context.js";
import { ensureInitialised, otherBackend } from "./backend-probe.js";
import { disposeAll, expectArray, expectNnkitError, expectNnkitRejection } from "./expect.js";

export function defineRegistrySuite(options: SuiteOptions): void {
  describe("registry", () => {
    it("listBackends() shows this backend initialised and default", () => {
      const info = listBackends().find((b) => b.name === options.backend);
      expect(info).toBeDefined();
      expect(info?.initialized).toBe(true);
      expect(info?.isDefault).toBe(true);
      expect(info?.error).toBeUndefined();
      expect(
        listBackends()
          .filter((b) => b.isDefault)
          .map((b) => b.name),
      ).toEqual([options.backend]);
      expect(getDefaultDevice()).toBe(options.backend);
      // Sorted by priority, highest first.
      const priorities = listBackends().map((b) => b.priority);
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    });

    it("setDefaultDevice of an unregistered backend rejects and changes nothing", async () => {
      const err = await expectNnkitRejection(
        () => setDefaultDevice("nope"),
        "setDefaultDevice",
        '"nope"',
        "registered",
      );
      expect(err.message).toContain(options.backend);
      expect(getDefaultDevice()).toBe(options.backend);
    });

    it("setDefaultDevice of the current backend is harmless", async () => {
      await setDefaultDevice(options.backend);
      expect(getDefaultDevice()).toBe(options.backend);
    });

    const other = otherBackend(options.backend);
    it.skipIf(other === undefined)(
      `ops across backends throw unless moved with x.to(name)${other === undefined ? " (skipped: no second backend is registered)" : ` ("${options.backend}" and "${other}")`}`,
      async () => {
        const name = other as string;
        await ensureInitialised(name, options.backend);
        const here = array([1, 2]);
        const source = array([10, 20]);
        const there = source.to(name);
        try {
          expect(here.device).toBe(options.backend);
          expect(there.device).toBe(name);
          expect(here.to(options.backend)).toBe(here);
          const err = expectNnkitError(
            () => add(here, there),
            "add",
            "different backends",
            `x.to(`,
          );
          expect(err.message).toContain(options.backend);
          expect(err.message).toContain(name);
          expectNnkitError(
            () => where(array([true, false]), here, there),
            "where",
            "different backends",
          );
          expectNnkitError(() => concatenate([here, there]), "concatenate", "different backends");
          // Moved explicitly, the op runs on the target backend.
          const sum = add(here.to(name), there);
          expect(sum.device).toBe(name);
          await expectArray(sum, { shape: [2], dtype: "float32", values: [11, 22] });
          const back = sum.to(options.backend).multiply(here);
          expect(back.device).toBe(options.backend);
          await expectArray(back, { shape: [2], dtype: "float32", values: [11, 44] });
          // Moving a lazy, non-contiguous array works too.
          const t = array([
            [1, 2],
            [3, 4],
          ])
            .transpose()
            .add(1)
            .to(name);
          await expectArray(t, { shape: [2, 2], dtype: "float32", values: [2, 4, 3, 5] });
          disposeAll(sum, back, t);
        } finally {
          disposeAll(here, source, there);
        }
      },
    );

    it("to() an unregistered backend throws", () => {
      const x = array([1]);
      expectNnkitError(() => x.to("nope"), "to", '"nope"');
      x.dispose();
    });
  });
}
