// The worker wrapper: a run off the main thread with typed progress, cancel, and clear errors when the
// worker dies.
import { bundleNode } from '../../../support/bundle';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPath, readCheckpoint } from '../../../../src/core/train/checkpoint';
import { TEST_FAULT_ENV, TEST_FAULT_EXIT_CODE } from '../../../../src/core/train/testFault';
import { startTrainingWorker } from '../../../../src/core/train/trainingWorker';
import type { EpochRecord, TrainProgress } from '../../../../src/protocol/training';
import { makeTinyDataset, type TinyDataset } from './fixtures';

const tmp = (p: string): string => mkdtempSync(path.join(os.tmpdir(), p));
const base = { epochs: 3, batchSize: 8, size: 8, lr: 0.05, backend: 'wasm' as const };

describe('startTrainingWorker', () => {
  let workerPath: string;
  let ds: TinyDataset;
  beforeAll(async () => {
    workerPath = await bundleNode('src/core/train/train.worker.ts', path.join(tmp('lade-worker-'), 'train.worker.js'));
    ds = makeTinyDataset();
  });

  it('trains in a worker thread and reports typed progress and the run record', async () => {
    const handle = startTrainingWorker({ ...base, dataDir: ds.root, outDir: tmp('lade-run-') }, { workerPath });
    const seen: TrainProgress[] = [];
    const logs: string[] = [];
    const epochs: EpochRecord[] = [];
    handle.onProgress((p) => seen.push(p));
    handle.onLog((_, m) => logs.push(m));
    handle.onEpoch((e) => epochs.push(e));
    const record = await handle.result;
    expect(record.status).toBe('completed');
    // Every message the worker sent passed the channel's schema.
    expect(logs.filter((m) => m.startsWith('Ignored a message'))).toEqual([]);
    expect(record.history).toHaveLength(3);
    // Each epoch arrives live, as it will stand in the record.
    expect(epochs).toEqual(record.history);
    const phases = new Set(seen.map((p) => p.phase));
    expect([...phases]).toEqual(expect.arrayContaining(['scan', 'decode', 'train', 'evaluate']));
    const last = seen.filter((p) => p.phase === 'train').at(-1)!;
    expect(last).toMatchObject({ epoch: 3, epochs: 3, backend: 'wasm', backendReason: 'requested explicitly' });
    expect(last.imagesPerSec).toBeGreaterThan(0);
    expect(logs.some((m) => m.startsWith('backend wasm'))).toBe(true);
  });

  it('cancel stops with a resumable checkpoint', async () => {
    const outDir = tmp('lade-run-');
    const handle = startTrainingWorker({ ...base, epochs: 50, dataDir: ds.root, outDir }, { workerPath });
    handle.onProgress((p) => {
      if (p.phase === 'train' && p.epoch === 2) handle.cancel();
    });
    const record = await handle.result;
    expect(record.status).toBe('cancelled');
    expect(readCheckpoint(outDir)?.epoch).toBeGreaterThanOrEqual(1);
  });

  it('a killed worker rejects with an error that points at the intact checkpoint', async () => {
    const outDir = tmp('lade-run-');
    // Many epochs, so the kill lands long before the run could finish on its own.
    const handle = startTrainingWorker({ ...base, epochs: 50, dataDir: ds.root, outDir }, { workerPath });
    handle.onProgress((p) => {
      if (p.phase === 'train' && p.epoch === 2) void handle.terminate();
    });
    await expect(handle.result).rejects.toThrow(/stopped unexpectedly.*checkpoint.*intact: resume the run/);
    // The checkpoint on disk is whole and readable (written atomically), from epoch 1 or a little later.
    expect(readCheckpoint(outDir)?.epoch).toBeGreaterThanOrEqual(1);
  });

  describe(`with ${TEST_FAULT_ENV} set (the e2e's crash)`, () => {
    afterEach(() => {
      delete process.env[TEST_FAULT_ENV];
    });

    it('exit-after-epoch:1 kills the worker right after the checkpoint of epoch 1, and a resume completes the run', async () => {
      const outDir = tmp('lade-run-');
      process.env[TEST_FAULT_ENV] = 'exit-after-epoch:1';
      const handle = startTrainingWorker({ ...base, dataDir: ds.root, outDir }, { workerPath });
      let lastEpoch = 0;
      handle.onProgress((p) => {
        if (p.phase === 'train') lastEpoch = p.epoch;
      });
      await expect(handle.result).rejects.toThrow(
        `The training worker stopped unexpectedly (exit code ${TEST_FAULT_EXIT_CODE}). The last checkpoint (${checkpointPath(outDir)}) is intact`,
      );
      expect(lastEpoch, 'no step of epoch 2 ran').toBe(1);
      expect(readCheckpoint(outDir)).toMatchObject({ epoch: 1, stepInEpoch: 0 });

      // The variable is still set: the resumed worker restores epoch 1 instead of training it, so it goes on.
      const resumed = startTrainingWorker({ ...base, dataDir: ds.root, outDir, resume: true }, { workerPath });
      const record = await resumed.result;
      expect(record.status).toBe('completed');
      expect(record.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    });

    it('a value it does not know fails the run with a message naming the variable', async () => {
      process.env[TEST_FAULT_ENV] = 'exit-now';
      const handle = startTrainingWorker({ ...base, dataDir: ds.root, outDir: tmp('lade-run-') }, { workerPath });
      await expect(handle.result).rejects.toThrow(`${TEST_FAULT_ENV}='exit-now' is not a known fault`);
    });
  });

  it('a worker that crashes on start says so', async () => {
    const broken = path.join(tmp('lade-worker-'), 'broken.js');
    writeFileSync(broken, 'throw new Error("boom");');
    const handle = startTrainingWorker({ ...base, dataDir: ds.root, outDir: tmp('lade-run-') }, { workerPath: broken });
    await expect(handle.result).rejects.toThrow(/crashed \(boom\).*No checkpoint/);
  });

  it('training errors come back as rejections with the message', async () => {
    const handle = startTrainingWorker({ ...base, dataDir: '/nonexistent/data', outDir: tmp('lade-run-') }, { workerPath });
    await expect(handle.result).rejects.toThrow(/^no such folder: \/nonexistent\/data$/);
  });
});
