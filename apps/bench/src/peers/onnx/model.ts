import { ProtoWriter } from "./protobuf.js";

// Field numbers and enums from onnx/onnx.proto (IR version 9, the one that goes with opset 20).
const IR_VERSION = 9;
const TENSOR_FLOAT = 1;
const TENSOR_INT32 = 6;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;

export type AttrValue = number | string | { readonly int: number };

/** One node of a single-node graph: the op, its domain and attributes. */
export interface OnnxNodeSpec {
  readonly opType: string;
  /** "" is the standard ai.onnx domain; "com.microsoft" holds ONNX Runtime's contrib ops. */
  readonly domain: string;
  readonly attributes?: Readonly<Record<string, AttrValue>>;
  /** Constant float32 inputs after x (Clip's bounds, PRelu's slope), as [name, dims, values]. */
  readonly constants?: readonly (readonly [string, readonly number[], readonly number[]])[];
}

export interface OnnxModelSpec {
  readonly node: OnnxNodeSpec;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly outputType?: "float32" | "int32";
}

/** Opsets the models declare: ai.onnx 20 (Gelu) and ONNX Runtime's contrib domain. */
export const OPSETS: Readonly<Record<string, number>> = { "": 20, "com.microsoft": 1 };

function attribute(name: string, value: AttrValue): ProtoWriter {
  const a = new ProtoWriter().bytes(1, name);
  // AttributeProto: name 1, f 2, i 3, s 4, type 20.
  if (typeof value === "string") return a.bytes(4, value).int(20, ATTR_STRING);
  if (typeof value === "object") return a.int(3, value.int).int(20, ATTR_INT);
  return a.float(2, value).int(20, ATTR_FLOAT);
}

function valueInfo(name: string, elemType: number, shape: readonly number[]): ProtoWriter {
  // ValueInfoProto { name 1, type 2 } → TypeProto { tensor_type 1 } → { elem_type 1, shape 2 }
  // → TensorShapeProto { dim 1 } → Dimension { dim_value 1 }.
  const dims = new ProtoWriter();
  for (const d of shape) dims.bytes(1, new ProtoWriter().int(1, d));
  const tensorType = new ProtoWriter().int(1, elemType).bytes(2, dims);
  return new ProtoWriter().bytes(1, name).bytes(2, new ProtoWriter().bytes(1, tensorType));
}

function floatTensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): ProtoWriter {
  // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian float32).
  const t = new ProtoWriter();
  for (const d of dims) t.int(1, d);
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return t.int(2, TENSOR_FLOAT).bytes(8, name).bytes(9, raw);
}

/** The serialized ModelProto of a graph `y = op(x, constants…)`; input "x", output "y". */
export function singleOpModel(spec: OnnxModelSpec): Uint8Array {
  const { node } = spec;
  const constants = node.constants ?? [];
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7.
  const n = new ProtoWriter().bytes(1, "x");
  for (const [name] of constants) n.bytes(1, name);
  n.bytes(2, "y").bytes(3, "op").bytes(4, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    n.bytes(5, attribute(name, value));
  }
  if (node.domain) n.bytes(7, node.domain);

  // GraphProto: node 1, name 2, initializer 5, input 11, output 12.
  const g = new ProtoWriter().bytes(1, n).bytes(2, "bench");
  for (const [name, dims, values] of constants) g.bytes(5, floatTensor(name, dims, values));
  g.bytes(11, valueInfo("x", TENSOR_FLOAT, spec.inputShape));
  const outType = spec.outputType === "int32" ? TENSOR_INT32 : TENSOR_FLOAT;
  g.bytes(12, valueInfo("y", outType, spec.outputShape));

  // ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 { domain 1, version 2 }.
  const m = new ProtoWriter().int(1, IR_VERSION).bytes(2, "nnkit-bench").bytes(7, g);
  const domains = new Set(["", node.domain]);
  for (const d of domains) {
    m.bytes(8, new ProtoWriter().bytes(1, d).int(2, OPSETS[d] ?? 1));
  }
  return m.finish();
}
