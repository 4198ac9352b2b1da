import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ArrayInput, array, type Array as MxArray, NnkitError, zeros } from "@nnkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Module, PReLU, SAFETENSORS_METADATA, treeFlatten } from "../src/index.js";
import { expectSameArray } from "./helpers.js";
import { Net } from "./nets.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nnkit-nn-modules-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One parameter of every dtype, with edge values, several shapes (0-d and empty too). */
class Bag extends Module {
  f32 = array([1.5, -0, Number.POSITIVE_INFINITY, Number.NaN, 1e-45, 3.4e38], "float32").reshape([
    2, 3,
  ]);
  f16 = array([1, -2, 65504, 6e-8, Number.NEGATIVE_INFINITY, Number.NaN, 0.1], "float16");
  bf16 = array([1, -2, 3.140625, 1e38, -1e-38, Number.NaN], "bfloat16").reshape([3, 2]);
  i32 = array(new Int32Array([0, -1, 2147483647, -2147483648]), "int32");
  u32 = array(new Uint32Array([0, 1, 4294967295]), "uint32");
  flags = array([true, false, true], "bool");
  scalar = array(0.25, "float32");
  empty = zeros([0, 3], "float16");
  forward(x: ArrayInput): MxArray {
    return array(x);
  }
}

/** A Bag whose parameters all differ from the original's (same shapes and dtypes). */
function blankBag(): Bag {
  const b = new Bag();
  b.apply((x) => zeros(x.shape, x.dtype));
  return b;
}

async function expectSameParameters(a: Module, b: Module): Promise<void> {
  const pa = treeFlatten<MxArray>(a.parameters());
  const pb = new Map(treeFlatten<MxArray>(b.parameters()));
  expect([...pb.keys()].sort()).toEqual(pa.map(([k]) => k).sort());
  for (const [k, v] of pa) await expectSameArray(pb.get(k) as MxArray, v);
}

describe("saveWeights / loadWeights round trips", () => {
  it("through a .safetensors file, for every dtype, bit for bit", async () => {
    const path = join(dir, "bag.safetensors");
    const src = new Bag();
    await src.saveWeights(path);
    const dst = await blankBag().loadWeights(path);
    await expectSameParameters(dst, src);
    expect(dst.f16.dtype).toBe("float16");
    expect(dst.bf16.dtype).toBe("bfloat16");
    expect(dst.scalar.shape).toEqual([]);
    expect(dst.empty.shape).toEqual([0, 3]);
  });

  it("through bytes (toSafetensors → loadWeights(Uint8Array | ArrayBuffer))", async () => {
    const bytes = await new Bag().toSafetensors();
    await expectSameParameters(await blankBag().loadWeights(bytes), new Bag());
    const copy = bytes.slice().buffer;
    await expectSameParameters(await blankBag().loadWeights(copy), new Bag());
    // A view into a larger buffer at an odd offset.
    const big = new Uint8Array(bytes.byteLength + 3);
    big.set(bytes, 3);
    await expectSameParameters(await blankBag().loadWeights(big.subarray(3)), new Bag());
  });

  it("a nested model's dotted names survive the trip, and the loaded model computes", async () => {
    const path = join(dir, "net.safetensors");
    const src = new Net();
    src.layers[1]?.act.update({ weight: array([0.5, 0.75], "float32") });
    await src.saveWeights(path);
    const dst = await new Net().loadWeights(path);
    expect(dst.layers[1]?.act.weight.tolist()).toEqual([0.5, 0.75]);
    await expectSameArray(dst.forward([[-1, 1]]), src.forward([[-1, 1]]));
  });

  it("files carry MLX's metadata and a space-padded, 8-byte-aligned header", async () => {
    const path = join(dir, "prelu.safetensors");
    await new PReLU({ numParameters: 3 }).saveWeights(path);
    const bytes = new Uint8Array(await readFile(path));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const header = JSON.parse(text);
    expect(header.__metadata__).toEqual({ format: "mlx" });
    expect(SAFETENSORS_METADATA).toEqual({ format: "mlx" });
    expect(header.weight).toEqual({ dtype: "F32", shape: [3], data_offsets: [0, 12] });
    expect(text.trimEnd().endsWith("}")).toBe(true);
    expect(bytes.byteLength).toBe(8 + n + 12);
    const data = new DataView(bytes.buffer, bytes.byteOffset + 8 + n);
    expect([0, 4, 8].map((o) => data.getFloat32(o, true))).toEqual([0.25, 0.25, 0.25]);
  });

  it("paths must end in .safetensors; unreadable paths say so", async () => {
    await expect(new PReLU().saveWeights(join(dir, "w.npz"))).rejects.toThrow(
      "PReLU.saveWeights: Unsupported file extension for",
    );
    await expect(new PReLU().loadWeights(join(dir, "w.bin"))).rejects.toThrow("Use '.safetensors'");
    await expect(new PReLU().loadWeights(join(dir, "missing.safetensors"))).rejects.toThrow(
      /PReLU\.loadWeights: cannot read ".*missing\.safetensors"/,
    );
    await expect(new PReLU().loadWeights(42 as never)).rejects.toThrow(
      "expected a .safetensors path, a Uint8Array or ArrayBuffer, or a list of [name, array] pairs; got number",
    );
  });

  it("a corrupt file names the file and the problem", async () => {
    const path = join(dir, "bad.safetensors");
    await writeFile(path, new Uint8Array([1, 2, 3]));
    await expect(new PReLU().loadWeights(path)).rejects.toThrow(
      /PReLU\.loadWeights: ".*bad\.safetensors" is not a valid safetensors file: 3 bytes/,
    );
  });
});

describe("loadWeights from [name, array] pairs", () => {
  it("loads pairs, including dotted names", async () => {
    const p = await new PReLU().loadWeights([["weight", array([0.5], "float32")]]);
    expect(p.weight.tolist()).toEqual([0.5]);
    const net = new Net();
    const pairs = treeFlatten<MxArray>(net.parameters()).map(
      ([k, v]) => [k, zeros(v.shape, v.dtype)] as const,
    );
    await net.loadWeights(pairs);
    expect(net.layers[1]?.act.weight.tolist()).toEqual([0, 0]);
    expect(net.extra.table[0]?.tolist()).toEqual([0, 0, 0]);
  });

  it("a name given twice takes its last value", async () => {
    const p = await new PReLU().loadWeights([
      ["weight", array([0.5], "float32")],
      ["weight", array([0.75], "float32")],
    ]);
    expect(p.weight.tolist()).toEqual([0.75]);
  });

  it("rejects entries that are not pairs", async () => {
    await expect(new PReLU().loadWeights([["weight"]] as never)).rejects.toThrow(
      "PReLU.loadWeights: weights[0] must be a [name, array] pair with a string name; got list",
    );
  });
});

describe("loadWeights strict checks: MLX's messages, in MLX's order", () => {
  const w = (...shape: number[]) => zeros(shape, "float32");

  it("extra names first (sorted, counted)", async () => {
    const err = new PReLU().loadWeights([
      ["weight", w(1)],
      ["zeta", w(1)],
      ["alpha", w(1)],
    ]);
    await expect(err).rejects.toThrow(NnkitError);
    await expect(
      new PReLU().loadWeights([
        ["zeta", w(1)],
        ["alpha", w(1)],
      ]),
    ).rejects.toThrow("PReLU.loadWeights: Received 2 parameters not in model: \nalpha,\nzeta.");
  });

  it("then missing names", async () => {
    const net = new Net();
    await expect(
      net.loadWeights([
        ["layers.0.weight", w(2, 2)],
        ["layers.0.bias", w(2)],
      ]),
    ).rejects.toThrow(
      "Net.loadWeights: Missing 6 parameters: \nextra.scale,\nextra.table.0,\nlayers.0.act.weight,\nlayers.1.act.weight,\nlayers.1.bias,\nlayers.1.weight.",
    );
    await expect(new PReLU().loadWeights([])).rejects.toThrow("Missing 1 parameters: \nweight.");
  });

  it("then values that are not arrays", async () => {
    await expect(new PReLU().loadWeights([["weight", [0.25]]])).rejects.toThrow(
      "PReLU.loadWeights: Expected Array but received list for parameter weight",
    );
  });

  it("then shapes", async () => {
    await expect(new PReLU().loadWeights([["weight", w(2)]])).rejects.toThrow(
      "PReLU.loadWeights: Expected shape (1,) but received shape (2,) for parameter weight",
    );
    await expect(
      new PReLU({ numParameters: 3 }).loadWeights([["weight", w(1, 3)]]),
    ).rejects.toThrow("Expected shape (3,) but received shape (1, 3) for parameter weight");
  });

  it("extra names win over missing ones, missing over shapes", async () => {
    await expect(new Net().loadWeights([["nope", w(1)]])).rejects.toThrow(
      "Received 1 parameters not in model: \nnope.",
    );
    await expect(new Net().loadWeights([["layers.0.weight", w(5)]])).rejects.toThrow(
      "Missing 7 parameters",
    );
  });

  it("does not check dtypes (as MLX)", async () => {
    const p = await new PReLU().loadWeights([["weight", zeros([1], "float16")]]);
    expect(p.weight.dtype).toBe("float16");
  });

  it("a failed strict load changes nothing", async () => {
    const p = new PReLU();
    const before = p.weight;
    await expect(p.loadWeights([["weight", w(2)]])).rejects.toThrow();
    expect(p.weight).toBe(before);
  });

  it("strict: false loads what matches and ignores the rest", async () => {
    const net = new Net();
    await net.loadWeights(
      [
        ["layers.0.act.weight", array([0.5, 0.5], "float32")],
        ["nope.weight", w(1)],
      ],
      { strict: false },
    );
    expect(net.layers[0]?.act.weight.tolist()).toEqual([0.5, 0.5]);
    expect(net.layers[1]?.act.weight.tolist()).toEqual([0.25, 0.25]);
    // Shapes are not checked without strict, as in MLX.
    const p = await new PReLU().loadWeights([["weight", w(3)]], { strict: false });
    expect(p.weight.shape).toEqual([3]);
  });

  it("strict checks apply to safetensors sources too", async () => {
    const bytes = await new PReLU({ numParameters: 2 }).toSafetensors();
    await expect(new PReLU().loadWeights(bytes)).rejects.toThrow(
      "Expected shape (1,) but received shape (2,) for parameter weight",
    );
  });
});
