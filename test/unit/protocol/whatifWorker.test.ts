import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../../src/core/message';
import { FromWorkerSchema, ToWorkerSchema } from '../../../src/protocol/whatifWorker';
import { rejection } from './reject';

const sums = {
  numClasses: 2,
  numSamples: 3,
  support: new Int32Array([2, 1]),
  cells: new Int32Array([0, 0, 2, 1, 0, 1]),
  nll: new Float64Array(2),
  brier: new Float64Array(2),
  binCount: new Int32Array(30),
  binConfidence: new Float64Array(30),
  binCorrect: new Int32Array(30),
};

describe('what-if worker messages', () => {
  it('accepts a load with transferred buffers and an evaluate request', () => {
    const load = {
      type: 'load',
      numClasses: 2,
      runs: [{ methods: [{ id: 'r:lade', label: 'LADE', kind: 'lade' }], logits: new ArrayBuffer(24), labels: new ArrayBuffer(12), trainCounts: [30, 3] }],
    };
    expect(checkMessage(ToWorkerSchema, load, 'what-if worker (from the page)')).toEqual(load);
    expect(checkMessage(ToWorkerSchema, { type: 'evaluate', id: 7, target: [0.5, 0.5] }, 'what-if worker (from the page)')).toEqual({ type: 'evaluate', id: 7, target: [0.5, 0.5] });
    expect(rejection(ToWorkerSchema, { ...load, runs: [{ ...load.runs[0], logits: [0, 1] }] })).toContain("message 'load', field 'runs.0.logits'");
    expect(rejection(ToWorkerSchema, { type: 'evaluate', target: [1] })).toContain("message 'evaluate', field 'id'");
  });

  it('accepts each kind of answer part, and rejects sums that are not typed arrays', () => {
    const result = { type: 'result', id: 7, parts: [{ method: 'a', sums }, { method: 'b', unchanged: true }, { method: 'c', error: 'no prior' }] };
    expect(checkMessage(FromWorkerSchema, result, 'what-if worker')).toEqual(result);
    const bad = { type: 'result', id: 7, parts: [{ method: 'a', sums: { ...sums, cells: [0, 0, 2] } }] };
    expect(rejection(FromWorkerSchema, bad)).toContain("message 'result'");
    expect(rejection(FromWorkerSchema, { type: 'loaded', engine: 'gpu', uniform: [], sweep: [] })).toContain("message 'loaded', field 'engine'");
  });
});
