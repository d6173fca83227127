// A finished run folder written by hand (run.json of imported logits, logits and labels of one split), for
// CLI tests that evaluate without training: small, and exactly what loadRun reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importedRecord } from '../../support/runRecords';

export interface FakeRunOptions {
  readonly classes?: readonly string[];
  /** Labels of the evaluation rows; logits favour the true class. */
  readonly labels?: readonly number[];
  readonly loss?: 'lade' | 'ce';
}

export function writeFakeRun(dir: string, opts: FakeRunOptions = {}): string {
  const classes = opts.classes ?? ['a', 'b', 'c'];
  const labels = opts.labels ?? [0, 0, 0, 1, 1, 2, 2, 0, 1, 2];
  const c = classes.length;
  const trainCounts = classes.map((_, k) => 40 >> k);
  const total = trainCounts.reduce((a, b) => a + b, 0);
  mkdirSync(dir, { recursive: true });
  const logits = new Float32Array(labels.length * c);
  labels.forEach((y, i) => {
    for (let k = 0; k < c; k++) logits[i * c + k] = k === y ? 2 : (i + k) % 3 === 0 ? 1.5 : 0;
  });
  writeFileSync(path.join(dir, 'logits-test.bin'), Buffer.from(logits.buffer));
  writeFileSync(path.join(dir, 'labels-test.bin'), Buffer.from(Int32Array.from(labels).buffer));
  writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify(
      importedRecord(opts.loss ?? 'lade', {
        name: path.basename(dir),
        classes,
        trainCounts,
        sourcePrior: trainCounts.map((n) => n / total),
        evalSplits: [{ name: 'test', count: labels.length }],
      }),
    ),
  );
  return dir;
}
