/**
 * The subset of ONNX's `onnx.proto` (v3, IR version 8) that pixelrl's graphs use, encoded with
 * protobufjs. Field numbers are ONNX's; only the messages and fields written here are declared.
 * Decoding is supported too, so tests can read a model back.
 */
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; FLOATS = 6; INTS = 7; }
  string name = 1;
  float f = 2;
  int64 i = 3;
  bytes s = 4;
  TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  AttributeType type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  string producer_version = 3;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4;
  repeated int64 int64_data = 7;
  string name = 8;
  bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

/** ONNX element types used here (TensorProto.DataType). */
export const DataType = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;
export type ElemType = keyof typeof DataType;

/** A dimension: a size, or a symbolic name such as `batch`. */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  elem: ElemType;
  shape: readonly Dim[];
}

export type AttributeValue =
  | number
  | string
  | readonly number[]
  | { floats: readonly number[] }
  | ConstTensor;

export interface NodeDef {
  op: string;
  /** Operator domain; absent for the default ONNX domain. */
  domain?: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs?: Record<string, AttributeValue>;
}

/** A constant tensor (an initializer or a `Constant` node's value). */
export interface ConstTensor {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array | Int32Array;
}

export interface GraphDef {
  name: string;
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  nodes: readonly NodeDef[];
  initializers: readonly ConstTensor[];
}

/** ONNX operator set the graphs target (ReduceMean/ReduceMax take `axes` as attributes until 18). */
export const OPSET = 17;
const IR_VERSION = 8;

function loadRoot(): protobuf.Root {
  return protobuf.parse(SCHEMA, { keepCase: true }).root;
}

function tensorProto(t: ConstTensor): Record<string, unknown> {
  const dataType =
    t.data instanceof Float32Array
      ? DataType.float
      : t.data instanceof BigInt64Array
        ? DataType.int64
        : DataType.int32;
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name: t.name, dims: [...t.dims], data_type: dataType, raw_data: bytes };
}

function isConstTensor(v: AttributeValue): v is ConstTensor {
  return typeof v === 'object' && v !== null && 'dims' in v && 'data' in v;
}

function attribute(name: string, value: AttributeValue): Record<string, unknown> {
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new Error(`attribute ${name}: integer expected, got ${value} (use { floats } or a float)`);
    return { name, type: 2, i: value };
  }
  if (typeof value === 'string') return { name, type: 3, s: new TextEncoder().encode(value) };
  if (isConstTensor(value)) return { name, type: 4, t: tensorProto(value) };
  if ('floats' in value) {
    const floats = (value as { floats: readonly number[] }).floats;
    return floats.length === 1 ? { name, type: 1, f: floats[0] } : { name, type: 6, floats: [...floats] };
  }
  return { name, type: 7, ints: [...(value as readonly number[])] };
}

function valueInfo(v: ValueInfo): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: DataType[v.elem],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Serializes a graph as an ONNX model (bytes an `InferenceSession` loads). */
export function encodeModel(graph: GraphDef): Uint8Array {
  const Model = loadRoot().lookupType('onnx.ModelProto');
  const domains = [...new Set(graph.nodes.flatMap((n) => (n.domain ? [n.domain] : [])))].sort();
  const message = {
    ir_version: IR_VERSION,
    producer_name: 'pixelrl',
    opset_import: [{ domain: '', version: OPSET }, ...domains.map((domain) => ({ domain, version: 1 }))],
    graph: {
      name: graph.name,
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
      initializer: graph.initializers.map(tensorProto),
      node: graph.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        op_type: n.op,
        ...(n.domain ? { domain: n.domain } : {}),
        input: [...n.inputs],
        output: [...n.outputs],
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  };
  const err = Model.verify(message);
  if (err) throw new Error(`ONNX model does not encode: ${err}`);
  return Model.encode(Model.fromObject(message)).finish();
}

/** Decodes a model into plain objects (for tests and debugging). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const Model = loadRoot().lookupType('onnx.ModelProto');
  return Model.toObject(Model.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as Record<
    string,
    unknown
  >;
}
