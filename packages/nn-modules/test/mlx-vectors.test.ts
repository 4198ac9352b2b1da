import { array } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import {
  CELU,
  ELU,
  GELU,
  GLU,
  HardShrink,
  Hardswish,
  HardTanh,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  Mish,
  PReLU,
  ReLU,
  ReLU6,
  Sigmoid,
  Softmax,
  Softmin,
  Softplus,
  Softshrink,
  Softsign,
  Step,
} from "../src/index.js";
import { expectClose, f32, values } from "./helpers.js";

// The Module cases of MLX's python/tests/test_nn.py (spec §6), with MLX's tolerances.
describe("MLX test_nn vectors through the Modules", () => {
  it("PReLU()([1, -1, 0, 0.5]) = [1, -0.25, 0, 0.5]", async () => {
    await expectClose(new PReLU().forward(f32([1, -1, 0, 0.5])), [1, -0.25, 0, 0.5], {
      tol: 1e-2,
    });
  });

  it("Mish()([1, -1, 0, 0.5]) = [0.8651, -0.3034, 0, 0.3752]", async () => {
    await expectClose(
      new Mish().forward(f32([1, -1, 0, 0.5])),
      [0.86509839, -0.30340146, 0, 0.37524521],
      { tol: 1e-6 },
    );
  });

  const geluIn = [1.15286231, -0.81037411, 0.35816911, 0.77484438, 0.66276414];
  it("GELU() matches jax.nn.gelu(approximate=False)", async () => {
    await expectClose(
      new GELU().forward(f32(geluIn)),
      [1.0093501, -0.16925684, 0.22918941, 0.60498625, 0.49459383],
      { tol: 1e-6 },
    );
  });

  it('GELU({approx: "precise"}) and GELU({approx: "tanh"}) match jax approximate=True and each other', async () => {
    const expected = [1.0091482, -0.1693441, 0.22918446, 0.60491, 0.4945476];
    const precise = new GELU({ approx: "precise" }).forward(f32(geluIn));
    const tanh = new GELU({ approx: "tanh" }).forward(f32(geluIn));
    await expectClose(precise, expected, { tol: 1e-6 });
    await expectClose(tanh, expected, { tol: 1e-6 });
    expect(await values(precise)).toEqual(await values(tanh));
  });

  it('GELU({approx: "fast"}) gives the float64 values of x·σ(1.702x)', async () => {
    await expectClose(
      new GELU({ approx: "fast" }).forward(f32(geluIn)),
      [1.0107925, -0.1629892, 0.23204, 0.6113363, 0.5007012],
      { tol: 1e-6 },
    );
  });

  it("GELU approximations stay within MLX's bounds on arange(-6, 6, 0.12)", async () => {
    const xs = Array.from({ length: 100 }, (_, i) => -6 + i * 0.12);
    const exact = await values(new GELU().forward(f32(xs)));
    const approx = await values(new GELU({ approx: "tanh" }).forward(f32(xs)));
    const fast = await values(new GELU({ approx: "fast" }).forward(f32(xs)));
    const maxDiff = (a: number[]) =>
      Math.max(...a.map((v, i) => Math.abs(v - (exact[i] as number))));
    expect(maxDiff(approx)).toBeLessThan(0.0005);
    expect(maxDiff(fast)).toBeLessThan(0.025);
  });

  it("Step() and Step({threshold: 1}) on [-1, 0, 1] (int32)", async () => {
    const x = f32([-1, 0, 1]);
    const d = new Step().forward(x);
    expect(d.dtype).toBe("int32");
    expect(Array.from(await d.data())).toEqual([0, 1, 1]);
    expect(Array.from(await new Step({ threshold: 1 }).forward(x).data())).toEqual([0, 0, 1]);
  });

  it("LeakyReLU() and LeakyReLU({negativeSlope: 0.1}) on [1, -1, 0]", async () => {
    const x = f32([1, -1, 0]);
    expect(await values(new LeakyReLU().forward(x))).toEqual([1, Math.fround(-0.01), 0]);
    expect(await values(new LeakyReLU({ negativeSlope: 0.1 }).forward(x))).toEqual([
      1,
      Math.fround(-0.1),
      0,
    ]);
  });

  it("ELU() and ELU({alpha: 1.1}) on [1, -1, 0]", async () => {
    const x = f32([1, -1, 0]);
    await expectClose(new ELU().forward(x), [1, -0.6321, 0]);
    await expectClose(new ELU({ alpha: 1.1 }).forward(x), [1, -0.6953, 0]);
  });

  it("CELU() and CELU({alpha: 1.1}) on [1, -1, 0]", async () => {
    const x = f32([1, -1, 0]);
    await expectClose(new CELU().forward(x), [1, -0.6321, 0]);
    await expectClose(new CELU({ alpha: 1.1 }).forward(x), [1, -0.6568, 0]);
  });

  it("Softshrink() and Softshrink({lambd: 0.7}) on [1, -1, 0]", async () => {
    const x = f32([1, -1, 0]);
    await expectClose(new Softshrink().forward(x), [0.5, -0.5, 0]);
    await expectClose(new Softshrink({ lambd: 0.7 }).forward(x), [0.3, -0.3, 0]);
  });

  it("HardShrink() and HardShrink({lambd: 0.1}) on [1, -0.5, 0, 0.5, -1.5]", async () => {
    const x = f32([1, -0.5, 0, 0.5, -1.5]);
    expect(await values(new HardShrink().forward(x))).toEqual([1, 0, 0, 0, -1.5]);
    expect(await values(new HardShrink({ lambd: 0.1 }).forward(x))).toEqual([
      1, -0.5, 0, 0.5, -1.5,
    ]);
  });

  it("GLU()([[[1, 2, 3, 4]]]) = [[[0.952574, 1.96403]]]", async () => {
    await expectClose(new GLU().forward(array([[[1, 2, 3, 4]]])), [0.952574, 1.96403], {
      tol: 1e-5,
      shape: [1, 1, 2],
    });
  });

  it("the other test_nn cases through their Modules", async () => {
    await expectClose(new ReLU().forward(f32([1, -1, 0])), [1, 0, 0], { tol: 1e-12 });
    await expectClose(new ReLU6().forward(f32([1, -1, 0, 7, -7])), [1, 0, 0, 6, 0], {
      tol: 1e-12,
    });
    await expectClose(new Softmax().forward(f32([1, -1, 0])), [0.6652, 0.09, 0.2447]);
    await expectClose(new Softmin().forward(f32([1, 2, 3])), [0.6652, 0.2447, 0.09]);
    await expectClose(new Softplus().forward(f32([1, -1, 0])), [1.3133, 0.3133, Math.LN2]);
    await expectClose(new Softsign().forward(f32([1, -1, 0])), [0.5, -0.5, 0]);
    await expectClose(new LogSoftmax().forward(f32([1, 2, 3])), [-2.4076, -1.4076, -0.4076]);
    await expectClose(new LogSigmoid().forward(f32([1, -1, 0])), [-0.3133, -1.3133, -Math.LN2]);
    await expectClose(
      new Hardswish().forward(f32([-3, -1.5, 0, 1.5, 3])),
      [0, -0.375, 0, 1.125, 3],
    );
    await expectClose(new HardTanh().forward(f32([1, -2, 0, 0.5, 2])), [1, -1, 0, 0.5, 1], {
      tol: 1e-12,
    });
    const s = await values(new Sigmoid().forward(f32([1, 0, -1])));
    expect(s[1]).toBe(0.5);
  });
});
