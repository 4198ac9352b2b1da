// A minimal Protocol Buffers writer: just the wire types an ONNX model needs (varint,
// 32-bit and length-delimited fields). Enough to build one-op models in memory, so the bench
// commits no binary model files and needs no protobuf or onnx package.

const encoder = new TextEncoder();

/** Bytes of one message under construction; fields are appended in call order. */
export class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(value: number | bigint): void {
    // int64 fields are varints of the two's complement; negatives take 10 bytes.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  private key(field: number, wireType: 0 | 2 | 5): void {
    this.varint((field << 3) | wireType);
  }

  /** A varint field (int32, int64, enum). */
  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(...b);
    return this;
  }

  /** A length-delimited field: raw bytes, a UTF-8 string or a nested message. */
  bytes(field: number, value: Uint8Array | string | ProtoWriter): this {
    const b =
      typeof value === "string"
        ? encoder.encode(value)
        : value instanceof ProtoWriter
          ? value.finish()
          : value;
    this.key(field, 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
