/**
 * The subset of ONNX's `onnx.proto` (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 8)
 * that the TRM's exporter writes: a model with one graph of nodes, float/int64 initializers stored as
 * raw little-endian bytes, and typed graph inputs/outputs. Field numbers are the official ones, so the
 * bytes are a valid ONNX file; fields left out are optional. Kept as text in a module (not a .proto file
 * beside it) so the built main process needs no extra asset.
 */
import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; }
  optional string name = 1;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  repeated int64 ints = 8;
  optional AttributeType type = 20;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  repeated AttributeProto attribute = 5;
  optional string domain = 7;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}

message TensorProto {
  enum DataType { UNDEFINED = 0; FLOAT = 1; INT64 = 7; }
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  optional string name = 8;
  optional bytes raw_data = 9;
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  oneof value {
    Tensor tensor_type = 1;
  }
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}
`;

/** The parsed schema (field names as in onnx.proto: keepCase). */
const root = protobuf.parse(ONNX_SUBSET, { keepCase: true }).root;

export const ModelProto = root.lookupType('onnx.ModelProto');

/** AttributeProto.AttributeType values used. */
export const ATTRIBUTE = { INT: 2, INTS: 7 } as const;

/** TensorProto.DataType values used. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7 } as const;

/** IR version 8 pairs with opset 17 (ONNX's versioning table). */
export const IR_VERSION = 8;
export const OPSET = 17;

export interface AttributeJson {
  name: string;
  type: number;
  i?: number;
  ints?: number[];
}

export interface NodeJson {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute?: AttributeJson[];
}

export interface TensorJson {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

/** A dimension: a fixed size or a symbolic name (a dynamic axis such as the batch). */
export type DimJson = { dim_value: number } | { dim_param: string };

export interface ValueInfoJson {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: DimJson[] } } };
}

/** A tensor's value info: `dims` numbers are fixed sizes, strings named (dynamic) ones such as "batch". */
export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): ValueInfoJson {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export interface ModelJson {
  ir_version: number;
  producer_name: string;
  producer_version: string;
  doc_string: string;
  opset_import: { domain: string; version: number }[];
  metadata_props: { key: string; value: string }[];
  graph: {
    name: string;
    node: NodeJson[];
    initializer: TensorJson[];
    input: ValueInfoJson[];
    output: ValueInfoJson[];
  };
}

/** Serialises a model; throws when a field does not fit the schema. */
export function encodeModel(model: ModelJson): Uint8Array {
  const problem = ModelProto.verify(model);
  if (problem !== null) throw new Error(`ONNX model does not fit onnx.proto: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** Parses bytes written by encodeModel (tests inspect graphs with it). */
export function decodeModel(bytes: Uint8Array): ModelJson {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, defaults: false }) as ModelJson;
}
