// Run records as the engines write them, for tests that need a run folder on disk.
import { DEFAULT_TRAIN_CONFIG } from '../../src/core/runs/config';
import type { LossKind } from '../../src/core/runs/lossKind';
import type { RunRecord } from '../../src/core/runs/record';

type Json = Record<string, unknown>;

/** A version 1 run.json (before `loss` and `origin`), as the TF.js trainer wrote it. */
export function recordV1(loss: string, fields: Json = {}): Json {
  return {
    version: 1,
    name: 'run',
    status: 'completed',
    config: { ...DEFAULT_TRAIN_CONFIG, dataDir: 'data', outDir: 'out', loss },
    classes: ['a', 'b', 'c'],
    trainCounts: [100, 30, 5],
    sourcePrior: [100 / 135, 30 / 135, 5 / 135],
    backend: { name: 'wasm', reason: 'test' },
    input: { size: 8, channels: 1, mean: 0.5, std: 0.5 },
    timings: { scanMs: 0, decodeMs: 0, trainMs: 0, evalMs: 0 },
    history: [],
    evalSplits: [],
    finalAccuracy: {},
    startedAt: '2026-12-06T11:00:00.000Z',
    finishedAt: '2026-12-06T11:01:00.000Z',
    ...fields,
  };
}

/** A version 2 run.json of imported logits. */
export function importedRecord(loss: LossKind, fields: Partial<Record<keyof RunRecord, unknown>> = {}): Json {
  return {
    version: 2,
    name: 'imported',
    status: 'completed',
    loss,
    origin: { kind: 'imported', source: 'logits', files: ['val.npz'] },
    classes: ['a', 'b'],
    trainCounts: [3, 1],
    sourcePrior: [0.75, 0.25],
    evalSplits: [],
    finalAccuracy: {},
    startedAt: '2026-12-06T11:00:00.000Z',
    ...fields,
  };
}
