import { Op, SIMD_PREFIX, Simd, ValType } from "./opcodes.js";

/** A growable byte sink with the encodings of the WebAssembly binary format. */
export class ByteWriter {
  private bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  byte(b: number): this {
    this.bytes.push(b & 0xff);
    return this;
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.byte(bytes[i] as number);
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (i32). */
  i32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** Little-endian IEEE binary64. */
  f64(value: number): this {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.byte(buf.getUint8(i));
    return this;
  }

  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).raw(utf8);
  }

  /** A length-prefixed vector whose contents `fill` writes. */
  sized(fill: (w: ByteWriter) => void): this {
    const inner = new ByteWriter();
    fill(inner);
    return this.u32(inner.length).raw(inner.bytes);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Function bodies: instructions written against a growing list of locals. */
export class FunctionBody {
  readonly code = new ByteWriter();
  private readonly locals: ValType[] = [];

  constructor(private readonly paramCount: number) {}

  /** Declares a new local and returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  op(opcode: number): this {
    this.code.byte(opcode);
    return this;
  }

  simd(opcode: number): this {
    this.code.byte(SIMD_PREFIX).u32(opcode);
    return this;
  }

  get(index: number): this {
    this.code.byte(Op.localGet).u32(index);
    return this;
  }

  set(index: number): this {
    this.code.byte(Op.localSet).u32(index);
    return this;
  }

  tee(index: number): this {
    this.code.byte(Op.localTee).u32(index);
    return this;
  }

  /** Memory access immediate: log2 alignment and a constant offset. */
  memarg(alignLog2: number, offset = 0): this {
    this.code.u32(alignLog2).u32(offset);
    return this;
  }

  /** The encoded body: local declarations (run-length grouped), code, final `end`. */
  encode(): Uint8Array {
    const w = new ByteWriter();
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    w.u32(groups.length);
    for (const [count, type] of groups) w.u32(count).byte(type);
    w.raw(this.code.toBytes()).byte(Op.end);
    return w.toBytes();
  }
}

export interface FunctionDef {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  readonly body: FunctionBody;
  /** Exported under this name; internal helpers (the vector math functions) have none. */
  readonly exportName?: string;
}

/**
 * How a module imports `env.memory`. It must match the memory it is instantiated with: a shared
 * memory (the heap that worker threads also map) needs `shared` and a maximum of at least the
 * memory's own.
 */
export interface MemoryImport {
  readonly shared: boolean;
  /** Required when shared. */
  readonly maxPages?: number;
}

/** An unshared memory that may grow without limit (the staging memory). */
export const PLAIN_MEMORY: MemoryImport = { shared: false };

/**
 * A module with one imported memory (`env.memory`), its functions, in order (function i has
 * index i for `call`), and immutable v128 globals holding `constants` (global i holds the 16
 * bytes constants[i]) — everything the kernels need, nothing else (no tables or data segments).
 */
export function encodeModule(
  functions: readonly FunctionDef[],
  memory: MemoryImport = PLAIN_MEMORY,
  constants: readonly Uint8Array[] = [],
): Uint8Array {
  const w = new ByteWriter();
  w.raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, fill: (s: ByteWriter) => void) => w.byte(id).sized(fill);
  // 1: types, one per function.
  section(1, (s) => {
    s.u32(functions.length);
    for (const f of functions) {
      s.byte(0x60).u32(f.params.length).raw(f.params).u32(f.results.length).raw(f.results);
    }
  });
  // 2: imports — env.memory (kind 0x02), limits {min 0}: flag 0x00 = no maximum, 0x03 = shared
  // with a maximum.
  section(2, (s) => {
    s.u32(1).name("env").name("memory").byte(0x02);
    if (memory.shared)
      s.byte(0x03)
        .u32(0)
        .u32(memory.maxPages ?? 65536);
    else s.byte(0x00).u32(0);
  });
  // 3: functions → type indices.
  section(3, (s) => {
    s.u32(functions.length);
    functions.forEach((_, i) => {
      s.u32(i);
    });
  });
  // 6: globals — v128 (0x7b), immutable (0x00), initialised by `v128.const c; end`.
  if (constants.length > 0) {
    section(6, (s) => {
      s.u32(constants.length);
      for (const c of constants) {
        s.byte(ValType.v128).byte(0x00).byte(SIMD_PREFIX).u32(Simd.v128Const).raw(c).byte(Op.end);
      }
    });
  }
  // 7: exports (kind 0x00 = function).
  section(7, (s) => {
    const exported = functions.flatMap((f, i) => (f.exportName === undefined ? [] : [i]));
    s.u32(exported.length);
    for (const i of exported)
      s.name(functions[i]?.exportName as string)
        .byte(0x00)
        .u32(i);
  });
  // 10: code.
  section(10, (s) => {
    s.u32(functions.length);
    for (const f of functions) s.sized((b) => b.raw(f.body.encode()));
  });
  return w.toBytes();
}
