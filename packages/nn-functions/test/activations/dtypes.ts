import { itWithDtypes, type SuiteOptions } from "@nnkit/conformance";
import { array, type DType, NnkitError } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ACTIVATIONS, type ActivationInfo, activation } from "../../src/index.js";
import { values } from "./compare.js";

/** Activations whose result keeps an integer input's dtype (spec §3); step is always int32. */
const KEEPS_INT = new Set(["relu", "relu2", "hardShrink", "step"]);

/** Parameters for a call with defaults: prelu needs an alpha (PReLU's float32 weight, 0.25). */
function defaults(a: ActivationInfo): Record<string, number> {
  return a.name === "prelu" ? { alpha: 0.25 } : {};
}

const INTS = [-3, -2, -1, 0, 1, 2, 3, 4];

function get(name: string): ActivationInfo {
  const a = activation(name);
  if (!a) throw new Error(`${name} is not in ACTIVATIONS`);
  return a;
}

export function defineDtypeSuite(options: SuiteOptions): void {
  describe("activation result dtypes", () => {
    for (const a of ACTIVATIONS) {
      const want: DType = a.name === "step" || KEEPS_INT.has(a.name) ? "int32" : "float32";
      it(`${a.name} on int32 input gives ${want}, with the float32 input's values`, async () => {
        const yi = a.apply(array(INTS, "int32"), defaults(a));
        const yf = a.apply(array(INTS, "float32"), defaults(a));
        expect(yi.dtype).toBe(want);
        expect(yi.shape).toEqual(yf.shape);
        expect(await values(yi)).toEqual(await values(yf));
      });

      for (const half of ["float16", "bfloat16"] as const) {
        const keep: DType = a.name === "step" ? "int32" : a.name === "prelu" ? "float32" : half;
        it(`${a.name} on ${half} input gives ${keep}`, () => {
          expect(a.apply(array(INTS, half), defaults(a)).dtype).toBe(keep);
        });
      }
    }

    it("prelu with a float16/bfloat16 alpha array keeps the half dtype", () => {
      for (const half of ["float16", "bfloat16"] as const) {
        expect(get("prelu").apply(array(INTS, half), { alpha: array([0.25], half) }).dtype).toBe(
          half,
        );
      }
    });

    itWithDtypes(
      options,
      ["float16"],
      "prelu with a float32 alpha on float16 input promotes to float32 (PReLU's weight)",
      async () => {
        const y = get("prelu").apply(array([-2, 1], "float16"), { alpha: array([0.25]) });
        expect(y.dtype).toBe("float32");
        expect(await values(y)).toEqual([-0.5, 1]);
      },
    );

    it("relu6 on int32 gives float32 (6.0 is a float), clamped", async () => {
      const y = get("relu6").apply(array([-7, 3, 7], "int32"));
      expect(y.dtype).toBe("float32");
      expect(await values(y)).toEqual([0, 3, 6]);
    });

    it("relu2 on int32 squares in int32", async () => {
      const y = get("relu2").apply(array([-3, 2, 5], "int32"));
      expect(y.dtype).toBe("int32");
      expect(await values(y)).toEqual([0, 4, 25]);
    });

    it("softmax and softmin over a non-last axis of int32 return int32 (MLX's generic path)", async () => {
      // Column 0 is [0, 100]: softmax ≈ [3.7e-44, 1] truncates to [0, 1]; column 1 ties at 0.5 → 0.
      for (const axis of [0, -2]) {
        const y = get("softmax").apply(
          array(
            [
              [0, 1],
              [100, 1],
            ],
            "int32",
          ),
          { axis },
        );
        expect(y.dtype, `softmax axis ${axis}`).toBe("int32");
        expect(await values(y)).toEqual([0, 0, 1, 0]);
        const z = get("softmin").apply(
          array(
            [
              [0, 1],
              [-100, 1],
            ],
            "int32",
          ),
          { axis },
        );
        expect(z.dtype, `softmin axis ${axis}`).toBe("int32");
        expect(await values(z)).toEqual([0, 0, 1, 0]);
      }
    });

    it("softmax over the last axis of int32, and logSoftmax over any axis, give float32", async () => {
      const x = () =>
        array(
          [
            [0, 1],
            [100, 1],
          ],
          "int32",
        );
      expect(get("softmax").apply(x(), { axis: -1 }).dtype).toBe("float32");
      expect(get("softmax").apply(x(), { axis: 1 }).dtype).toBe("float32");
      expect(get("logSoftmax").apply(x(), { axis: 0 }).dtype).toBe("float32");
      expect(get("logSoftmax").apply(x(), { axis: -1 }).dtype).toBe("float32");
      const y = await values(get("softmax").apply(x()));
      expect(Math.abs((y[0] as number) - 1 / (1 + Math.E))).toBeLessThan(1e-7);
    });

    it("bool input: relu and step give int32; softmin and logSigmoid raise", async () => {
      const b = () => array([true, false]);
      const r = get("relu").apply(b());
      expect(r.dtype).toBe("int32");
      expect(await values(r)).toEqual([1, 0]);
      const s = get("step").apply(b(), { threshold: 1 });
      expect(s.dtype).toBe("int32");
      expect(await values(s)).toEqual([1, 0]);
      expect(() => get("softmin").apply(b())).toThrow(NnkitError);
      expect(() => get("logSigmoid").apply(b())).toThrow(NnkitError);
    });
  });
}
