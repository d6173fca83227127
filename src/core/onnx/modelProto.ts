// The parts of an ONNX ModelProto (onnx/onnx.proto) that import and export need: the model's
// metadata_props, the graph's nodes, initializers and outputs, and a rewrite that adds a per-class bias to
// the bias of the layer producing the output. Field numbers are onnx.proto's; everything else in the model
// is copied through unchanged.
import { concat, fields, I32, lenField, text, varintField, varints, type Field } from './protobuf';

const MODEL = { graph: 7, metadataProps: 14 } as const;
const GRAPH = { node: 1, initializer: 5, output: 12 } as const;
const NODE = { input: 1, output: 2, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, f: 2, i: 3 } as const;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8, rawData: 9 } as const;
const ENTRY = { key: 1, value: 2 } as const;
const FLOAT = 1;

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Numeric attributes (ints and floats) by name. */
  readonly attributes: ReadonlyMap<string, number>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** The TensorProto's fields. */
  readonly fields: readonly Field[];
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxInitializer>;
  readonly outputs: readonly string[];
}

function only(fs: readonly Field[], number: number): Field | undefined {
  return fs.find((f) => f.number === number);
}

function modelFields(model: Uint8Array, file: string): Field[] {
  try {
    const fs = fields(model);
    if (!only(fs, MODEL.graph)) throw new Error('no graph');
    return fs;
  } catch (e) {
    throw new Error(`'${file}' is not an ONNX model (${(e as Error).message}).`, { cause: e });
  }
}

/** metadata_props, the free-form key/value pairs an exporter may attach to a model. */
export function readMetadata(model: Uint8Array, file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of modelFields(model, file).filter((f) => f.number === MODEL.metadataProps)) {
    const entry = fields(f.bytes);
    const key = only(entry, ENTRY.key);
    const value = only(entry, ENTRY.value);
    if (key) out.set(text(key), value ? text(value) : '');
  }
  return out;
}

function parseNode(bytes: Uint8Array): OnnxNode {
  const fs = fields(bytes);
  const attributes = new Map<string, number>();
  for (const a of fs.filter((f) => f.number === NODE.attribute)) {
    const af = fields(a.bytes);
    const name = only(af, ATTRIBUTE.name);
    const i = only(af, ATTRIBUTE.i);
    const f = only(af, ATTRIBUTE.f);
    if (!name) continue;
    if (i) attributes.set(text(name), i.varint);
    else if (f && f.wireType === I32) attributes.set(text(name), new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true));
  }
  return {
    opType: text(only(fs, NODE.opType)!),
    inputs: fs.filter((f) => f.number === NODE.input).map(text),
    outputs: fs.filter((f) => f.number === NODE.output).map(text),
    attributes,
  };
}

function parseInitializer(bytes: Uint8Array): OnnxInitializer {
  const fs = fields(bytes);
  return {
    name: text(only(fs, TENSOR.name)!),
    dims: fs.filter((f) => f.number === TENSOR.dims).flatMap(varints),
    dataType: only(fs, TENSOR.dataType)?.varint ?? 0,
    fields: fs,
  };
}

export function readGraph(model: Uint8Array, file: string): OnnxGraph {
  const graph = fields(only(modelFields(model, file), MODEL.graph)!.bytes);
  const initializers = new Map<string, OnnxInitializer>();
  for (const f of graph.filter((f) => f.number === GRAPH.initializer)) {
    const init = parseInitializer(f.bytes);
    initializers.set(init.name, init);
  }
  return {
    nodes: graph.filter((f) => f.number === GRAPH.node).map((f) => parseNode(f.bytes)),
    initializers,
    // ValueInfoProto.name is field 1.
    outputs: graph.filter((f) => f.number === GRAPH.output).map((f) => text(only(fields(f.bytes), 1)!)),
  };
}

/** A float32 initializer's values, from raw_data (little-endian) or float_data. */
export function initializerFloats(init: OnnxInitializer): Float32Array {
  if (init.dataType !== FLOAT) throw new Error(`initializer '${init.name}' is not float32 (ONNX data type ${init.dataType})`);
  const raw = only(init.fields, TENSOR.rawData);
  if (raw) {
    const view = new DataView(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.length);
    return Float32Array.from({ length: raw.bytes.length / 4 }, (_, k) => view.getFloat32(4 * k, true));
  }
  const out: number[] = [];
  for (const f of init.fields.filter((f) => f.number === TENSOR.floatData)) {
    const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length);
    for (let at = 0; at < f.bytes.length; at += 4) out.push(view.getFloat32(at, true));
  }
  return Float32Array.from(out);
}

function floatTensor(name: string, dims: readonly number[], values: Float32Array): Uint8Array {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, k) => view.setFloat32(4 * k, v, true));
  return concat([...dims.map((d) => varintField(TENSOR.dims, d)), varintField(TENSOR.dataType, FLOAT), lenField(TENSOR.name, name), lenField(TENSOR.rawData, raw)]);
}

/** Where the model's per-class output bias lives: the initializer, and the factor the graph scales it by. */
export interface OutputBias {
  readonly initializer: OnnxInitializer;
  /** Gemm computes alpha*A*B + beta*C: a change d to the output needs d / beta in C. */
  readonly scale: number;
}

/** Finds the bias of the Gemm (or MatMul + Add) that produces the graph's first output. */
export function findOutputBias(graph: OnnxGraph, file: string): OutputBias {
  const output = graph.outputs[0];
  const producer = graph.nodes.find((n) => n.outputs.includes(output ?? ''));
  if (!output || !producer) throw new Error(`'${file}': the graph has no node producing its output.`);
  let name: string | undefined;
  let scale = 1;
  if (producer.opType === 'Gemm') {
    name = producer.inputs[2];
    scale = producer.attributes.get('beta') ?? 1;
  } else if (producer.opType === 'Add') {
    name = producer.inputs.find((i) => graph.initializers.has(i));
  } else {
    throw new Error(`'${file}': the output comes from a ${producer.opType} node; export needs a final Gemm, or MatMul + Add, whose bias it can adjust.`);
  }
  const initializer = name ? graph.initializers.get(name) : undefined;
  if (!initializer) throw new Error(`'${file}': the final ${producer.opType} has no bias initializer to adjust.`);
  const uses = graph.nodes.filter((n) => n.inputs.includes(initializer.name)).length;
  if (uses > 1) throw new Error(`'${file}': the output bias '${initializer.name}' is shared by ${uses} nodes, so adjusting it would change other layers.`);
  if (scale === 0) throw new Error(`'${file}': the final Gemm has beta 0, so its bias does not reach the output.`);
  return { initializer, scale };
}

/**
 * The model with `delta[c]` added to output c (through the final layer's bias initializer). The old
 * initializer is dropped and a new one with the same name appended to the graph; field order does not
 * matter in protobuf, and every other field is copied unchanged.
 */
export function addOutputBias(model: Uint8Array, delta: ArrayLike<number>, file: string): Uint8Array {
  const graph = readGraph(model, file);
  const { initializer, scale } = findOutputBias(graph, file);
  const old = initializerFloats(initializer);
  const n = delta.length;
  if (old.length !== n && old.length !== 1) throw new Error(`'${file}': the output bias '${initializer.name}' has ${old.length} values but the run has ${n} classes.`);
  const values = Float32Array.from({ length: n }, (_, c) => old[old.length === 1 ? 0 : c]! + delta[c]! / scale);
  const dims = old.length === n ? initializer.dims : [n];
  const top = modelFields(model, file);
  const graphField = only(top, MODEL.graph)!;
  const graphParts = fields(graphField.bytes)
    .filter((f) => !(f.number === GRAPH.initializer && parseInitializer(f.bytes).name === initializer.name))
    .map((f) => f.raw);
  graphParts.push(lenField(GRAPH.initializer, floatTensor(initializer.name, dims, values)));
  return concat([...top.filter((f) => f !== graphField).map((f) => f.raw), lenField(MODEL.graph, concat(graphParts))]);
}
