// Softmax / PC Softmax / LADE from cached logits: the compensations do what docs/math.md (section 3) says, on run
// folders written by hand so the expected numbers are known exactly.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as evalCli } from '../../../../src/cli/eval';
import { evaluateRuns, loadRun, parsePriorSpec } from '../../../../src/core/train/runEvaluation';
import { DEFAULT_TRAIN_CONFIG, type LossKind, type TrainedRunRecord } from '../../../../src/core/runs';

const TRAIN_COUNTS = [90, 10];
const PS = [0.9, 0.1];
// True scores: every sample's own class leads by 1, so a compensated model is always right. 10 per class.
const LABELS = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));
const score = (i: number, c: number): number => (c === LABELS[i] ? 1 : 0);

function writeRun(loss: LossKind, logitOf: (i: number, c: number) => number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lade-eval-${loss}-`));
  mkdirSync(dir, { recursive: true });
  const record: TrainedRunRecord = {
    version: 2,
    name: path.basename(dir),
    status: 'completed',
    loss,
    origin: { kind: 'trained', engine: 'tfjs', processes: 1 },
    config: { ...DEFAULT_TRAIN_CONFIG, dataDir: 'x', outDir: dir, loss },
    classes: ['head', 'tail'],
    trainCounts: TRAIN_COUNTS,
    sourcePrior: PS,
    backend: { name: 'wasm', reason: 'test' },
    input: { size: 8, channels: 1, mean: 0.5, std: 0.25 },
    timings: { scanMs: 0, decodeMs: 0, trainMs: 0, evalMs: 0 },
    history: [],
    evalSplits: [{ name: 'test', count: LABELS.length }],
    finalAccuracy: {},
    startedAt: '',
    finishedAt: '',
  };
  const logits = new Float32Array(LABELS.length * 2);
  for (let i = 0; i < LABELS.length; i++) for (let c = 0; c < 2; c++) logits[i * 2 + c] = logitOf(i, c);
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  writeFileSync(path.join(dir, 'logits-test.bin'), new Uint8Array(logits.buffer));
  writeFileSync(path.join(dir, 'labels-test.bin'), new Uint8Array(LABELS.buffer));
  return dir;
}

// A CE model's logits carry log p_s (log 9 = 2.2 > the margin of 1, so raw softmax calls every tail sample
// 'head'); a LADE model's logits do not.
const ceDir = writeRun('ce', (i, c) => score(i, c) + Math.log(PS[c]));
const ladeDir = writeRun('lade', score);

describe('evaluateRuns', () => {
  it('uniform prior: LADE and PC Softmax are right everywhere, plain Softmax loses the tail class', () => {
    const e = evaluateRuns([loadRun(ladeDir), loadRun(ceDir)], parsePriorSpec('uniform'));
    const acc = Object.fromEntries(e.results.map((r) => [r.method, r.metrics.expectedAccuracy]));
    expect(acc).toEqual({ lade: 1, softmax: 0.5, pc_softmax: 1 });
    expect(e.rows).toBe(20);
  });

  it('a backward-shifted subset keeps the paper protocol rows and the exact subset prior', () => {
    const e = evaluateRuns([loadRun(ceDir)], parsePriorSpec('backward:10'));
    // m = 10 per class; backward-10 keeps floor(10 * 0.1) = 1 head and 10 tail images.
    expect(e.prior).toBe('backward-10');
    expect(e.rows).toBe(11);
    const softmax = e.results.find((r) => r.method === 'softmax')!;
    expect(softmax.metrics.expectedAccuracy).toBeCloseTo(1 / 11, 12);
  });

  it('a prior file is aligned by class name', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lade-prior-')), 'deploy.json');
    writeFileSync(file, JSON.stringify({ head: 1, tail: 3 }));
    const e = evaluateRuns([loadRun(ladeDir)], parsePriorSpec(file));
    expect(e.prior).toBe('deploy.json');
    // Bias log p_t favours 'tail' by log 3 > the margin of 1: every image is called 'tail', so the expected
    // accuracy is p_t(tail) = 0.75 (the reverse alignment would give 0.25).
    expect(e.results[0].metrics.expectedAccuracy).toBeCloseTo(0.75, 12);
  });

  it('rejects runs on different data and unfinished runs, naming them', () => {
    const other = writeRun('ce', score);
    const rec = loadRun(other);
    expect(() => evaluateRuns([loadRun(ladeDir), { ...rec, labels: new Int32Array(20) }], parsePriorSpec('uniform'))).toThrow(
      /different classes or evaluation labels/,
    );
    expect(() => loadRun(ladeDir, 'val')).toThrow(/no logits for split 'val'/);
  });
});

describe('lade eval', () => {
  it('prints a table and JSON with the three methods', async () => {
    let out = '';
    const io = { out: (t: string) => void (out += t), err: () => undefined, interactive: false };
    expect(await evalCli([ladeDir, '--baseline', ceDir, '--prior', 'uniform', '--prior', 'forward:2'], io)).toBe(0);
    expect(out).toMatch(/prior uniform \(20 images\)/);
    expect(out).toMatch(/softmax\s+50\.00/);
    out = '';
    await evalCli([ladeDir, '--baseline', ceDir, '--json'], io);
    const json = JSON.parse(out) as { prior: string; results: { method: string; accuracy: number }[] }[];
    expect(json[0].results.map((r) => [r.method, r.accuracy])).toEqual([
      ['lade', 100],
      ['softmax', 50],
      ['pc_softmax', 100],
    ]);
  });
});
