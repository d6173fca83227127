// Finds training runs (.lade/runs/<name>/run.json, read by src/core/runs) and reads what the metrics panel
// needs from their splits. No vscode here, so the host logic is testable under plain Node.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRun, RUN_FILE, RunFolderError, type RunFolder, type RunSplit } from '../../core/runs';
import type { RunChoice } from '../../protocol/metricsPanel';

/** Every readable run under <root>/.lade/runs, newest first, and the problems of the unreadable ones. */
export function listRuns(workspaceRoot: string): { runs: RunFolder[]; problems: string[] } {
  const base = path.join(workspaceRoot, '.lade', 'runs');
  if (!existsSync(base)) return { runs: [], problems: [] };
  const runs: { run: RunFolder; mtime: number }[] = [];
  const problems: string[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(base, entry.name);
    if (!existsSync(path.join(dir, RUN_FILE))) continue; // still training
    try {
      runs.push({ run: readRun(dir), mtime: statSync(path.join(dir, RUN_FILE)).mtimeMs });
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  runs.sort((a, b) => b.mtime - a.mtime || a.run.name.localeCompare(b.run.name));
  return { runs: runs.map((r) => r.run), problems };
}

export function runChoice(run: RunFolder): RunChoice {
  return { name: run.name, lossKind: run.record.loss, numClasses: run.record.classes.length, splits: run.splits.map((s) => s.name) };
}

export function sameClasses(a: RunFolder, b: RunFolder): boolean {
  const [x, y] = [a.record.classes, b.record.classes];
  return x.length === y.length && x.every((c, i) => c === y[i]);
}

/** Labels of a split (Int32 little-endian), checked against the class count and the logits size. */
export function readLabels(split: RunSplit, numClasses: number): Int32Array {
  const buf = readFileSync(split.labelsFile);
  if (buf.byteLength % 4 !== 0) throw new RunFolderError(`${split.labelsFile}: size ${buf.byteLength} is not a multiple of 4 (Int32 labels).`);
  const labels = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const expected = labels.length * numClasses * 4;
  const logitsSize = statSync(split.logitsFile).size;
  if (logitsSize !== expected) {
    throw new RunFolderError(`${split.logitsFile}: ${logitsSize} bytes, expected ${labels.length} rows x ${numClasses} classes x 4 = ${expected}.`);
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y < 0 || y >= numClasses) throw new RunFolderError(`${split.labelsFile}: row ${i} has label ${y}, outside 0..${numClasses - 1}.`);
  }
  return labels;
}

/** m of the shift protocol: the smallest class of the evaluation split (so every shifted subset exists). */
export function perClassTestCount(labels: Int32Array, numClasses: number): number {
  const counts = new Int32Array(numClasses);
  for (const y of labels) counts[y]++;
  return Math.max(1, counts.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY));
}
