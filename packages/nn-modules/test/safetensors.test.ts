import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { array, type Array as MxArray, zeros } from "@nnkit/core";
import { describe, expect, it } from "vitest";
import {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  MAX_HEADER_BYTES,
  PReLU,
  saveSafetensors,
} from "../src/index.js";
import { expectSameArray, values } from "./helpers.js";

/**
 * Builds a safetensors file by hand, independently of the writer: `header` is written as
 * given (no padding unless the caller adds it), `data` follows it.
 */
function buildFile(header: string, data: Uint8Array, declaredLength?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? h.byteLength), true);
  out.set(h, 8);
  out.set(data, 8 + h.byteLength);
  return out;
}

/** Little-endian data section writer. */
class Data {
  bytes: number[] = [];
  f32(...v: number[]) {
    for (const x of v) this.push(4, (dv) => dv.setFloat32(0, x, true));
    return this;
  }
  i32(...v: number[]) {
    for (const x of v) this.push(4, (dv) => dv.setInt32(0, x, true));
    return this;
  }
  u32(...v: number[]) {
    for (const x of v) this.push(4, (dv) => dv.setUint32(0, x, true));
    return this;
  }
  u16(...v: number[]) {
    for (const x of v) this.push(2, (dv) => dv.setUint16(0, x, true));
    return this;
  }
  u8(...v: number[]) {
    this.bytes.push(...v);
    return this;
  }
  private push(n: number, set: (dv: DataView) => void) {
    const b = new Uint8Array(n);
    set(new DataView(b.buffer));
    this.bytes.push(...b);
  }
  get array() {
    return new Uint8Array(this.bytes);
  }
}

describe("reading a hand-built safetensors file", () => {
  // Deliberately unpadded header (odd length) and tensors at offsets that are not multiples
  // of their element size, to exercise the aligned copies.
  const data = new Data()
    .u8(1, 0, 1) // flags: BOOL [3], bytes 0..3
    .f32(1.5, -2, 0.25, 1e30) // w: F32 [2, 2], bytes 3..19
    .u16(0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00) // h: F16 [5], bytes 19..29
    .u16(0x3f80, 0xc049) // b: BF16 [2], bytes 29..33
    .i32(-7, 2147483647) // i: I32 [2], bytes 33..41
    .u32(4294967295); // u: U32 [] (0-d), bytes 41..45
  const header =
    '{"__metadata__":{"format":"pt","note":"hand-made"},' +
    '"flags":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]},' +
    '"w":{"dtype":"F32","shape":[2,2],"data_offsets":[3,19]},' +
    '"h":{"dtype":"F16","shape":[5],"data_offsets":[19,29]},' +
    '"b":{"dtype":"BF16","shape":[2],"data_offsets":[29,33]},' +
    '"i":{"dtype":"I32","shape":[2],"data_offsets":[33,41]},' +
    '"u":{"dtype":"U32","shape":[],"data_offsets":[41,45]}}';
  const file = buildFile(header, data.array);

  it("gives each tensor's dtype, shape and values, and the metadata", async () => {
    const { tensors, metadata } = decodeSafetensors(file);
    expect(metadata).toEqual({ format: "pt", note: "hand-made" });
    const t = new Map(tensors);
    expect(tensors.map(([k]) => k)).toEqual(["flags", "w", "h", "b", "i", "u"]);
    const get = (k: string) => t.get(k) as MxArray;
    expect([get("flags").dtype, get("flags").shape]).toEqual(["bool", [3]]);
    expect(get("flags").tolist()).toEqual([true, false, true]);
    expect([get("w").dtype, get("w").shape]).toEqual(["float32", [2, 2]]);
    expect(get("w").tolist()).toEqual([
      [1.5, -2],
      [0.25, Math.fround(1e30)],
    ]);
    expect(get("h").dtype).toBe("float16");
    expect(Array.from(await get("h").data())).toEqual([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00]);
    expect(await values(get("h"))).toEqual([1, -2, 65504, 2 ** -24, Number.POSITIVE_INFINITY]);
    expect(get("b").dtype).toBe("bfloat16");
    expect(Array.from(await get("b").data())).toEqual([0x3f80, 0xc049]);
    expect(await values(get("b"))).toEqual([1, -3.140625]);
    expect([get("i").dtype, get("i").tolist()]).toEqual(["int32", [-7, 2147483647]]);
    expect([get("u").dtype, get("u").shape, get("u").tolist()]).toEqual(["uint32", [], 4294967295]);
  });

  it("loads into a module by name", async () => {
    const w = new Data().f32(0.1, 0.2);
    const f = buildFile('{"weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', w.array);
    const p = await new PReLU({ numParameters: 2 }).loadWeights(f);
    expect(p.weight.tolist()).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  it("accepts a file without __metadata__ and with trailing header spaces", () => {
    const f = buildFile(
      '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   ',
      new Data().f32(3).array,
    );
    const { tensors, metadata } = decodeSafetensors(f);
    expect(metadata).toEqual({});
    expect(tensors[0]?.[1].tolist()).toEqual([3]);
  });
});

describe("malformed files give clear errors", () => {
  const ok = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const eight = new Data().f32(1, 2).array;
  const bad = (f: Uint8Array) => () => decodeSafetensors(f);
  const prefix = "decodeSafetensors: the data is not a valid safetensors file: ";

  it("too short for the header length", () => {
    expect(bad(new Uint8Array(5))).toThrow(
      `${prefix}5 bytes is too short to hold the 8-byte header length`,
    );
  });

  it("a header length past the end of the file", () => {
    expect(bad(buildFile(ok, eight, 1000))).toThrow(
      `${prefix}header length 1000 runs past the end of the file (`,
    );
  });

  it("a header length over the 100 MB limit", () => {
    expect(bad(buildFile(ok, eight, MAX_HEADER_BYTES + 1))).toThrow(
      `${prefix}header length 100000001 is over the 100000000-byte limit`,
    );
    expect(bad(buildFile(ok, eight, 2 ** 40))).toThrow("is over the 100000000-byte limit");
  });

  it("a header that is not JSON, or not an object", () => {
    expect(bad(buildFile("{nope", eight))).toThrow(`${prefix}the header is not UTF-8 JSON`);
    expect(bad(buildFile("[1,2]", eight))).toThrow(
      `${prefix}the header must be a JSON object; got [1,2]`,
    );
    const invalidUtf8 = buildFile("{}", new Uint8Array());
    invalidUtf8[9] = 0xff;
    expect(bad(invalidUtf8)).toThrow("the header is not UTF-8 JSON");
  });

  it("an unknown dtype, and one nnkit cannot hold", () => {
    expect(bad(buildFile(ok.replace("F32", "F99"), eight))).toThrow(
      `${prefix}tensor "x" has unknown dtype "F99" (nnkit reads F32, F16, BF16, I32, U32, BOOL)`,
    );
    expect(bad(buildFile(ok.replace("F32", "F64").replace("[2]", "[1]"), eight))).toThrow(
      `${prefix}tensor "x" has unsupported dtype "F64"`,
    );
  });

  it("offsets out of range, or not matching the shape", () => {
    expect(bad(buildFile(ok.replace("[0,8]", "[0,12]").replace("[2]", "[3]"), eight))).toThrow(
      `${prefix}tensor "x" has data_offsets [0, 12] outside the data section, which holds 8 bytes`,
    );
    expect(bad(buildFile(ok.replace("[0,8]", "[8,4]"), eight))).toThrow(
      "data_offsets [8, 4] outside",
    );
    expect(bad(buildFile(ok.replace("[2]", "[3]"), eight))).toThrow(
      `${prefix}tensor "x" has data_offsets [0, 8] (8 bytes) but shape (3,) of F32 needs 12 bytes`,
    );
    expect(bad(buildFile(ok.replace("[0,8]", "[0]"), eight))).toThrow(
      'tensor "x" has data_offsets [0]; expected [begin, end] byte offsets',
    );
    expect(bad(buildFile(ok.replace("[2]", "[-2]"), eight))).toThrow(
      'tensor "x" has shape [-2]; expected a list of non-negative integers',
    );
  });

  it("gaps, overlaps and trailing bytes", () => {
    const two =
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(bad(buildFile(two, eight))).toThrow(
      'tensor "b" starts at byte 0 of the data section, but the tensors before it end at byte 4',
    );
    const gap = two
      .replace('"data_offsets":[0,4]}}', '"data_offsets":[4,8]}}')
      .replace("[0,4]", "[1,5]");
    expect(bad(buildFile(gap, new Data().f32(1, 2).u8(0).array))).toThrow("starts at byte 1");
    expect(bad(buildFile(ok, new Data().f32(1, 2, 3).array))).toThrow(
      `${prefix}the tensors cover 8 bytes but the data section holds 12`,
    );
  });

  it("bad metadata or tensor entries", () => {
    expect(bad(buildFile(`{"__metadata__":{"n":1},${ok.slice(1)}`, eight))).toThrow(
      "__metadata__.n must be a string; got 1",
    );
    expect(bad(buildFile('{"x":3}', eight))).toThrow(
      'tensor "x" must be described by an object; got 3',
    );
    expect(bad(buildFile('{"x":{"shape":[2],"data_offsets":[0,8]}}', eight))).toThrow(
      'tensor "x" has no dtype string',
    );
  });

  it("not bytes at all", () => {
    expect(() => decodeSafetensors("file.safetensors" as never)).toThrow(
      "decodeSafetensors: expected a Uint8Array or ArrayBuffer",
    );
  });
});

describe("encodeSafetensors / saveSafetensors / loadSafetensors", () => {
  it("writes any named arrays with metadata, widest dtype first so every tensor is aligned", async () => {
    const bytes = await encodeSafetensors(
      [
        ["flags", array([true, false], "bool")],
        ["h", array([1, 2, 3], "float16")],
        ["w", array([1, 2, 3], "float32")],
      ],
      { format: "mlx", author: "test" },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.__metadata__).toEqual({ format: "mlx", author: "test" });
    expect(header.w.data_offsets).toEqual([0, 12]);
    expect(header.h.data_offsets).toEqual([12, 18]);
    expect(header.flags.data_offsets).toEqual([18, 20]);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "mlx", author: "test" });
    expect(back.tensors.map(([k]) => k)).toEqual(["w", "h", "flags"]);
  });

  it("accepts an object of arrays; omits __metadata__ when none is given", async () => {
    const bytes = await encodeSafetensors({ a: zeros([2]) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + n)).trimEnd()).toBe(
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
    );
  });

  it("rejects bad names, duplicates, non-arrays and non-string metadata", async () => {
    await expect(encodeSafetensors([["__metadata__", zeros([1])]])).rejects.toThrow(
      'encodeSafetensors: tensor names must be non-empty strings other than "__metadata__"',
    );
    await expect(
      encodeSafetensors([
        ["a", zeros([1])],
        ["a", zeros([1])],
      ]),
    ).rejects.toThrow('tensor name "a" appears twice');
    await expect(encodeSafetensors({ a: [1, 2] as never })).rejects.toThrow(
      'tensor "a" must be an Array; got list',
    );
    await expect(encodeSafetensors({ a: zeros([1]) }, { v: 1 as never })).rejects.toThrow(
      'metadata values must be strings; "v" is number',
    );
  });

  it("round-trips through a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nnkit-st-"));
    try {
      const path = join(dir, "x.safetensors");
      const x = array([[1, -2, 3]], "bfloat16");
      await saveSafetensors(path, { x }, { format: "mlx" });
      const { tensors, metadata } = await loadSafetensors(path);
      expect(metadata).toEqual({ format: "mlx" });
      await expectSameArray(tensors[0]?.[1] as MxArray, x);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
