// The bias fold on a MatMul + Add head (what torch.onnx.export writes for a Linear on 3-D input and what
// other exporters write), on a model assembled here with the protobuf encoder and run by onnxruntime.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { addOutputBias } from '../../../../src/core/onnx/modelProto';
import { concat, lenField, varintField } from '../../../../src/core/onnx/protobuf';

const floats = (name: string, dims: number[], values: number[]): Uint8Array =>
  concat([...dims.map((d) => varintField(1, d)), varintField(2, 1), lenField(8, name), lenField(9, new Uint8Array(Float32Array.from(values).buffer))]);
const node = (op: string, inputs: string[], output: string): Uint8Array => concat([...inputs.map((i) => lenField(1, i)), lenField(2, output), lenField(4, op)]);
// ValueInfoProto name + TypeProto.tensor_type {elem_type float, shape [batch, width]}.
const valueInfo = (name: string, width: number): Uint8Array =>
  concat([lenField(1, name), lenField(2, lenField(1, concat([varintField(1, 1), lenField(2, concat([lenField(1, lenField(2, 'batch')), lenField(1, varintField(1, width))]))])))]);

function model(last: 'Add' | 'Relu'): Uint8Array {
  const nodes = [node('MatMul', ['x', 'W'], 'h'), last === 'Add' ? node('Add', ['h', 'B'], 'y') : node('Relu', ['h'], 'y')];
  const graph = concat([
    ...nodes.map((n) => lenField(1, n)),
    lenField(2, 'head'),
    lenField(5, floats('W', [2, 3], [1, 0, -1, 0.5, 2, 0])),
    ...(last === 'Add' ? [lenField(5, floats('B', [3], [0.1, 0.2, 0.3]))] : []),
    lenField(11, valueInfo('x', 2)),
    lenField(12, valueInfo('y', 3)),
  ]);
  return concat([varintField(1, 7), lenField(8, concat([lenField(1, ''), varintField(2, 13)])), lenField(7, graph)]);
}

async function run(bytes: Uint8Array, x: number[]): Promise<number[]> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from(x), [x.length / 2, 2]) });
  await s.release();
  return [...(out.y!.data as Float32Array)];
}

describe('addOutputBias on MatMul + Add', () => {
  it("adds the delta to the Add's bias initializer", async () => {
    const x = [1, 2, -3, 0.5];
    const before = await run(model('Add'), x);
    const after = await run(addOutputBias(model('Add'), [1, -2, 0.25], 'm.onnx'), x);
    before.forEach((v, k) => expect(after[k]).toBeCloseTo(v + [1, -2, 0.25][k % 3]!, 5));
  });

  it('names the op when the output has no bias to adjust', () => {
    expect(() => addOutputBias(model('Relu'), [1, 2, 3], 'm.onnx')).toThrow(/'m.onnx': the output comes from a Relu node/);
  });
});
