import { array, type Array as MxArray, NnkitError, zeros } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import { ELU, GELU, Module, PReLU, ReLU, treeFlatten, treeUnflatten } from "../src/index.js";
import { expectSameArray } from "./helpers.js";
import { Block, Net } from "./nets.js";

const names = (tree: unknown) => treeFlatten(tree).map(([k]) => k);

const NET_PARAMS = [
  "layers.0.weight",
  "layers.0.bias",
  "layers.0.act.weight",
  "layers.1.weight",
  "layers.1.bias",
  "layers.1.act.weight",
  "extra.scale",
  "extra.table.0",
];

describe("parameters", () => {
  it("PReLU().parameters() is { weight: [0.25] }", () => {
    const p = new PReLU().parameters();
    expect(Object.keys(p)).toEqual(["weight"]);
    expect((p.weight as MxArray).tolist()).toEqual([0.25]);
  });

  it("parameter-free activations have none", () => {
    expect(new ReLU().parameters()).toEqual({});
    expect(new GELU({ approx: "fast" }).trainableParameters()).toEqual({});
  });

  it("nest like MLX: lists, objects, submodules as objects, `_` keys and options left out", () => {
    const net = new Net();
    const p = net.parameters();
    expect(Object.keys(p)).toEqual(["layers", "head", "extra"]);
    expect(p.head).toEqual({});
    expect(names(p)).toEqual(NET_PARAMS);
    expect(((p.layers as unknown[])[0] as Record<string, unknown>).weight).toBe(
      net.layers[0]?.weight,
    );
  });
});

describe("freeze / unfreeze", () => {
  it("freeze() freezes everything, recursively", () => {
    const net = new Net().freeze();
    expect(names(net.trainableParameters())).toEqual([]);
    expect(names(net.parameters())).toEqual(NET_PARAMS);
    net.unfreeze();
    expect(names(net.trainableParameters())).toEqual(NET_PARAMS);
  });

  it("keys: freezes those names in every module", () => {
    const net = new Net().freeze({ keys: "weight" });
    expect(names(net.trainableParameters())).toEqual([
      "layers.0.bias",
      "layers.1.bias",
      "extra.scale",
      "extra.table.0",
    ]);
    net.unfreeze({ keys: ["weight"] });
    expect(names(net.trainableParameters())).toEqual(NET_PARAMS);
  });

  it("recurse: false touches only the module itself", () => {
    const net = new Net().freeze({ recurse: false });
    expect(names(net.trainableParameters())).toEqual(
      NET_PARAMS.filter((n) => n.startsWith("layers")),
    );
    const block = new Block().freeze({ recurse: false });
    expect(names(block.trainableParameters())).toEqual(["act.weight"]);
    block.freeze();
    block.unfreeze({ recurse: false });
    expect(names(block.trainableParameters())).toEqual(["weight", "bias"]);
  });

  it("nested keys are dotted within the module, as MLX's filter sees them", () => {
    const net = new Net().freeze({ keys: "extra.scale", recurse: false });
    expect(names(net.trainableParameters())).not.toContain("extra.scale");
    expect(names(net.trainableParameters())).toContain("extra.table.0");
  });

  it("a submodule's freeze shows through its parent", () => {
    const net = new Net();
    net.layers[1]?.act.freeze();
    expect(names(net.trainableParameters())).not.toContain("layers.1.act.weight");
    expect(names(net.trainableParameters())).toContain("layers.0.act.weight");
  });

  it("strict checks that each module it reaches has the keys", () => {
    const block = new Block();
    expect(() => block.freeze({ keys: "nope", strict: true, recurse: false })).toThrow(
      "Block.freeze: Module doesn't contain member nope.",
    );
    // With recurse, PReLU has no "bias", so strict fails there as in MLX.
    expect(() => block.freeze({ keys: "bias", strict: true })).toThrow(NnkitError);
    expect(() => block.freeze({ keys: "bias", strict: true, recurse: false })).not.toThrow();
    expect(() => block.unfreeze({ keys: "nope", strict: true })).toThrow(
      "Block.unfreeze: Module doesn't contain member nope.",
    );
    // Non-strict accepts unknown keys (and they freeze nothing).
    expect(names(new Block().freeze({ keys: "nope" }).trainableParameters())).toHaveLength(3);
  });

  it("rejects bad options", () => {
    expect(() => new Block().freeze({ keys: 3 as never })).toThrow(
      "Block.freeze: keys must be a string or a list of strings; got number",
    );
    expect(() => new Block().freeze({ recurse: "yes" as never })).toThrow(
      "recurse must be a boolean",
    );
    expect(() => new Block().freeze({ key: "weight" } as never)).toThrow('unknown option "key"');
  });
});

describe("update", () => {
  it("replaces parameters from a partial tree", async () => {
    const net = new Net();
    const w = array([0.5, 0.5], "float32");
    net.update({ layers: [{}, { act: { weight: w } }], extra: { scale: array([3], "float32") } });
    expect(net.layers[1]?.act.weight).toBe(w);
    expect(net.extra.scale.tolist()).toEqual([3]);
    expect(net.layers[0]?.act.weight.tolist()).toEqual([0.25, 0.25]);
  });

  it("strict: unknown names and non-arrays throw MLX's messages", () => {
    const p = new PReLU();
    expect(() => p.update({ bias: zeros([1]) })).toThrow(
      'PReLU.update: Module does not have parameter named "bias".',
    );
    expect(() => p.update({ weight: 3 })).toThrow("PReLU.update: Received invalid type: number.");
    expect(() => p.update(5)).toThrow("PReLU.update: Received invalid type: number.");
    expect(() => new Net().update({ layers: [{}, {}, {}] })).toThrow(
      'Net.update: Module does not have parameter named "2".',
    );
    // Options are not parameters.
    expect(() => new Net().update({ width: zeros([1]) })).toThrow('named "width"');
  });

  it("non-strict ignores unknown names", () => {
    const p = new PReLU();
    const w = array([0.1], "float32");
    p.update({ weight: w, bias: zeros([1]) }, { strict: false });
    expect(p.weight).toBe(w);
    expect(Object.keys(p)).toEqual(["weight"]);
  });

  it("returns the module", () => {
    const p = new PReLU();
    expect(p.update({})).toBe(p);
  });
});

describe("apply, setDtype", () => {
  it("apply maps every parameter", async () => {
    const net = new Net().apply((x) => x.astype("float16"));
    for (const [, v] of treeFlatten<MxArray>(net.parameters())) expect(v.dtype).toBe("float16");
    expect(net._cache.dtype).toBe("float32");
  });

  it("apply's filter picks what is mapped", () => {
    const net = new Net().apply(
      (x) => x.astype("float16"),
      (m, k, v) => Module.validParameterFilter(m, k, v) && k !== "extra",
    );
    expect(net.extra.scale.dtype).toBe("float32");
    expect(net.layers[0]?.weight.dtype).toBe("float16");
  });

  it("setDtype casts floating parameters only, by default", () => {
    const net = new Net().setDtype("bfloat16");
    expect(net.layers[0]?.weight.dtype).toBe("bfloat16");
    expect(net.layers[1]?.act.weight.dtype).toBe("bfloat16");
    expect(net.extra.scale.dtype).toBe("bfloat16");
    expect(net.extra.table[0]?.dtype).toBe("int32");
  });

  it("setDtype with a predicate, or null for all", () => {
    const a = new Net().setDtype("float16", (d) => d === "int32");
    expect(a.extra.table[0]?.dtype).toBe("float16");
    expect(a.extra.scale.dtype).toBe("float32");
    const b = new Net().setDtype("float32", null);
    expect(b.extra.table[0]?.dtype).toBe("float32");
    expect(() => new Net().setDtype("float64" as never)).toThrow(
      'Net.setDtype: dtype must be one of bool, uint32, int32, float16, bfloat16, float32; got "float64"',
    );
  });

  it("PReLU keeps working after setDtype", async () => {
    const p = new PReLU().setDtype("float16");
    const y = p.forward(array([-4], "float16"));
    expect(y.dtype).toBe("float16");
    expect(y.tolist()).toEqual([-1]);
  });
});

describe("children, leafModules, modules, namedModules", () => {
  it("children are the direct submodules in their containers", () => {
    const net = new Net();
    const c = net.children();
    expect(Object.keys(c)).toEqual(["layers", "head", "extra"]);
    expect(c.layers).toEqual(net.layers);
    expect(c.head).toBe(net.head);
    // Containers of arrays only appear as empty shells, as in MLX.
    expect(c.extra).toEqual({ scale: {}, table: [{}] });
    expect(new ReLU().children()).toEqual({});
  });

  it("leafModules are the submodules without submodules", () => {
    const net = new Net();
    const leaves = treeFlatten(net.leafModules(), "", (v) => v instanceof Module);
    expect(leaves.map(([k]) => k)).toEqual(["layers.0.act", "layers.1.act", "head"]);
  });

  it("namedModules lists every module with its dotted name, in MLX's order", () => {
    const net = new Net();
    const named = net.namedModules();
    expect(named.map(([k]) => k)).toEqual([
      "",
      "head",
      "layers.1",
      "layers.1.act",
      "layers.0",
      "layers.0.act",
    ]);
    expect(named[0]?.[1]).toBe(net);
    expect(net.modules()).toEqual(named.map(([, m]) => m));
    expect(new ReLU().modules()).toHaveLength(1);
  });

  it("applyToModules visits each module once", () => {
    const seen: string[] = [];
    new Net().applyToModules((k, m) => seen.push(`${k}:${String(m).split("(")[0]}`));
    expect(seen).toContain("head:GELU");
    expect(seen).toHaveLength(6);
  });

  it("updateModules swaps submodules", () => {
    const net = new Net();
    const relu = new ReLU();
    net.updateModules({ head: relu, layers: [{ act: new ELU() }] });
    expect(net.head).toBe(relu);
    expect(String(net.layers[0]?.act)).toBe("ELU()");
    expect(() => net.updateModules({ tail: relu })).toThrow(
      'Net.updateModules: Module does not have sub-module named "tail".',
    );
  });
});

describe("train / eval, state, toString of containers", () => {
  it("train and eval set training on every module", () => {
    const net = new Net();
    expect(net.training).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => m.training === false)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.layers[0]?.train(false);
    expect(net.training).toBe(true);
    expect(net.layers[0]?.act.training).toBe(false);
  });

  it("activations give the same result in either mode", async () => {
    const m = new GELU();
    const x = array([-1, 0.5], "float32");
    const a = m.forward(x);
    await expectSameArray(m.eval().forward(x), a);
  });

  it("state is a live view of every array/container member, `_` ones included", () => {
    const net = new Net();
    const s = net.state;
    expect(Object.keys(s)).toEqual(["layers", "head", "extra", "_cache"]);
    expect("width" in s).toBe(false);
    expect(s.width).toBeUndefined();
    expect(s._cache).toBe(net._cache);
    const c = array([8], "float32");
    s._cache = c;
    expect(net._cache).toBe(c);
    expect(Object.keys(new PReLU().state)).toEqual(["weight"]);
  });

  it("containers print their children like MLX's repr", () => {
    expect(String(new Block())).toBe("Block(\n  (act): PReLU(numParameters=2)\n)");
    expect(String(new Net())).toBe(
      [
        "Net(",
        "  (layers.0): Block(",
        "    (act): PReLU(numParameters=2)",
        "  )",
        "  (layers.1): Block(",
        "    (act): PReLU(numParameters=2)",
        "  )",
        '  (head): GELU(approx="tanh")',
        ")",
      ].join("\n"),
    );
  });

  it("a nested module's forward runs", async () => {
    const y = new Net().forward([[-1, 1]]);
    expect(y.shape).toEqual([2, 2]);
  });
});

describe("treeFlatten / treeUnflatten", () => {
  it("round-trip dotted names, lists where keys are integers", () => {
    const a = array([1], "float32");
    const b = array([2], "float32");
    const tree = treeUnflatten([
      ["layers.1.weight", b],
      ["layers.0.weight", a],
      ["head.bias", a],
    ]);
    expect(tree).toEqual({ layers: [{ weight: a }, { weight: b }], head: { bias: a } });
    expect(treeFlatten(tree).map(([k]) => k)).toEqual([
      "layers.0.weight",
      "layers.1.weight",
      "head.bias",
    ]);
    expect(treeUnflatten([["layers.2.w", a]])).toEqual({ layers: [{}, {}, { w: a }] });
    // A repeated name keeps its last value; a level cannot mix list indices and names.
    expect(
      treeUnflatten([
        ["w", 1],
        ["w", 2],
      ]),
    ).toEqual({ w: 2 });
    expect(() =>
      treeUnflatten([
        ["0", a],
        ["x", b],
      ]),
    ).toThrow(
      'treeUnflatten: key "x" sits beside list index "0"; a level is either a list or an object',
    );
    expect(treeFlatten({ a: [1, { b: 2 }] }, "p")).toEqual([
      ["p.a.0", 1],
      ["p.a.1.b", 2],
    ]);
  });
});
