// The real estimate worker bundle on a fabricated run: the estimate, its phases in order, cancellation
// that stops the thread, bad input reported as such, and garbage from a worker refused on arrival.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EstimateCancelled, EstimateJobError, estimateInWorker, type CancelToken } from '../../../../src/extension/estimate/estimateInWorker';
import type { EstimateJob, EstimateWorkerProgress } from '../../../../src/protocol/estimateWorker';
import { MessageError } from '../../../../src/core/message';
import { buildEstimateWorker, writeEstimateFixture, type EstimateFixture } from './fixture';

let root: string;
let workerPath: string;
let fixture: EstimateFixture;

/** A cancellation token that cancels when cancel() is called, like VS Code's. */
function token(): CancelToken & { cancel(): void } {
  const listeners: (() => void)[] = [];
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested: (l: () => void) => listeners.push(l),
    cancel: () => {
      cancelled = true;
      for (const l of listeners) l();
    },
  };
}

const job = (extra: Partial<EstimateJob> = {}): EstimateJob => ({
  runDir: fixture.runDir,
  split: 'val',
  folder: fixture.deploy,
  method: 'em-bcts',
  backend: 'cpu',
  bootstrap: 50,
  seed: 0,
  ...extra,
});

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'lade-estimate-worker-'));
  workerPath = await buildEstimateWorker(path.join(root, 'dist'));
  fixture = await writeEstimateFixture(root);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('estimateInWorker', () => {
  it('estimates the folder mix with intervals, reporting the phases in order', async () => {
    const seen: EstimateWorkerProgress[] = [];
    const estimate = await estimateInWorker(workerPath, job(), (p) => seen.push(p), token());
    expect(estimate.classes).toEqual(['dark', 'bright']);
    expect(estimate.images).toBe(40);
    expect(estimate.skipped).toHaveLength(1);
    expect(estimate.skipped[0]).toMatch(/broken\.png/);
    expect(estimate.prior[0]).toBeCloseTo(0.25, 2);
    expect(estimate.prior[1]).toBeCloseTo(0.75, 2);
    expect(estimate.trainPrior).toEqual([0.5, 0.5]);
    expect(estimate.backend).toBe('cpu');
    expect(estimate.intervals?.resamples).toBe(50);
    expect(estimate.intervals?.lo[1]).toBeLessThanOrEqual(estimate.prior[1]!);
    expect(estimate.intervals?.hi[1]).toBeGreaterThanOrEqual(estimate.prior[1]!);
    const phases = seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['decode', 'infer', 'calibrate', 'estimate', 'bootstrap']);
    expect(seen.at(-1)).toEqual({ phase: 'bootstrap', done: 50, total: 50 });
  });

  it('rejects with EstimateCancelled as soon as the token is cancelled, mid-bootstrap', async () => {
    const t = token();
    const run = estimateInWorker(workerPath, job({ bootstrap: 100_000 }), (p) => (p.phase === 'bootstrap' ? t.cancel() : undefined), t);
    await expect(run).rejects.toBeInstanceOf(EstimateCancelled);
    await expect(estimateInWorker(workerPath, job(), () => undefined, t)).rejects.toBeInstanceOf(EstimateCancelled);
  });

  it('cancels a worker stuck in synchronous work, which could never read a cancel message', async () => {
    const stuck = path.join(root, 'stuck.worker.js');
    writeFileSync(
      stuck,
      "const { parentPort } = require('node:worker_threads');\n" +
        "parentPort.on('message', () => { parentPort.postMessage({ type: 'progress', progress: { phase: 'bootstrap', done: 0, total: 1 } }); for (;;) {} });",
    );
    const t = token();
    await expect(estimateInWorker(stuck, job(), () => t.cancel(), t)).rejects.toBeInstanceOf(EstimateCancelled);
  });

  it('reports a missing folder and an unusable run as input errors naming them', async () => {
    const missing = path.join(root, 'nowhere');
    const noFolder: unknown = await estimateInWorker(workerPath, job({ folder: missing }), () => undefined, token()).catch((e: unknown) => e);
    expect(noFolder).toBeInstanceOf(EstimateJobError);
    expect((noFolder as Error).message).toContain(`cannot read folder '${missing}'`);
    await expect(estimateInWorker(workerPath, job({ runDir: root }), () => undefined, token())).rejects.toThrow(/is not a run folder: it has no run\.json/);
  });

  it('refuses a worker message that breaks the contract', async () => {
    const fake = path.join(root, 'fake.worker.js');
    writeFileSync(fake, "require('node:worker_threads').parentPort.on('message', (m) => m.type === 'start' && require('node:worker_threads').parentPort.postMessage({ type: 'result', estimate: { classes: 'dark' } }));");
    await expect(estimateInWorker(fake, job(), () => undefined, token())).rejects.toThrow(MessageError);
    await expect(estimateInWorker(fake, job(), () => undefined, token())).rejects.toThrow("estimate worker: message 'result', field 'estimate.runDir'");
    const crash = path.join(root, 'crash.worker.js');
    writeFileSync(crash, 'process.exit(3);');
    await expect(estimateInWorker(crash, job(), () => undefined, token())).rejects.toThrow('stopped unexpectedly (exit code 3)');
  });
});
