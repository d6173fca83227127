// Finds training runs (.lade/runs/<name>/run.json) and reads what the metrics panel needs from them:
// classes, training counts, how the run was trained, and which evaluation splits have cached logits.
// No vscode here, so the host logic is testable under plain Node.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunChoice, RunLossKind } from '../../protocol/metricsPanel';
import { isRecord, SPLIT_NAME } from '../../protocol/validate';

export interface RunSplit {
  readonly name: string;
  readonly count: number;
  readonly logitsFile: string;
  readonly labelsFile: string;
}

export interface RunInfo {
  readonly name: string;
  readonly dir: string;
  readonly lossKind: RunLossKind;
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  readonly splits: readonly RunSplit[];
  /** model/model.json when the run saved one. */
  readonly modelJson: string | null;
}

export class RunFolderError extends Error {
  override readonly name = 'RunFolderError';
}

const LOSS_KINDS: Record<string, RunLossKind> = { lade: 'lade', ce: 'ce', bs: 'bs' };

/** Reads and checks <dir>/run.json; the message names the file and the field. */
export function readRun(dir: string): RunInfo {
  const file = path.join(dir, 'run.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RunFolderError(`${file}: ${(err as Error).message}`);
  }
  if (!isRecord(raw)) throw new RunFolderError(`${file}: expected a JSON object.`);
  const config = raw.config;
  const loss = isRecord(config) ? config.loss : undefined;
  const lossKind = typeof loss === 'string' ? LOSS_KINDS[loss] : undefined;
  if (!lossKind) throw new RunFolderError(`${file}: config.loss must be one of lade, ce, bs.`);
  const classes = raw.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c: unknown) => typeof c === 'string')) {
    throw new RunFolderError(`${file}: "classes" must be a non-empty list of class names.`);
  }
  const trainCounts = raw.trainCounts;
  if (!Array.isArray(trainCounts) || trainCounts.length !== classes.length || !trainCounts.every((n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    throw new RunFolderError(`${file}: "trainCounts" must list one whole number >= 0 per class (${classes.length}).`);
  }
  const evalSplits = Array.isArray(raw.evalSplits) ? raw.evalSplits : [];
  const splits: RunSplit[] = [];
  for (const s of evalSplits) {
    if (!isRecord(s) || typeof s.name !== 'string' || !SPLIT_NAME.test(s.name) || typeof s.count !== 'number') {
      throw new RunFolderError(`${file}: every entry of "evalSplits" needs a plain "name" and a "count".`);
    }
    const logitsFile = path.join(dir, `logits-${s.name}.bin`);
    const labelsFile = path.join(dir, `labels-${s.name}.bin`);
    if (existsSync(logitsFile) && existsSync(labelsFile)) splits.push({ name: s.name, count: s.count, logitsFile, labelsFile });
  }
  const modelJson = path.join(dir, 'model', 'model.json');
  const name = typeof raw.name === 'string' && raw.name ? raw.name : path.basename(dir);
  return { name, dir, lossKind, classes: classes as string[], trainCounts: trainCounts as number[], splits, modelJson: existsSync(modelJson) ? modelJson : null };
}

/** Every readable run under <root>/.lade/runs, newest first, and the problems of the unreadable ones. */
export function listRuns(workspaceRoot: string): { runs: RunInfo[]; problems: string[] } {
  const base = path.join(workspaceRoot, '.lade', 'runs');
  if (!existsSync(base)) return { runs: [], problems: [] };
  const runs: { run: RunInfo; mtime: number }[] = [];
  const problems: string[] = [];
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(base, entry.name);
    if (!existsSync(path.join(dir, 'run.json'))) continue; // still training
    try {
      runs.push({ run: readRun(dir), mtime: statSync(path.join(dir, 'run.json')).mtimeMs });
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  runs.sort((a, b) => b.mtime - a.mtime || a.run.name.localeCompare(b.run.name));
  return { runs: runs.map((r) => r.run), problems };
}

export function runChoice(run: RunInfo): RunChoice {
  return { name: run.name, lossKind: run.lossKind, numClasses: run.classes.length, splits: run.splits.map((s) => s.name) };
}

export function sameClasses(a: RunInfo, b: RunInfo): boolean {
  return a.classes.length === b.classes.length && a.classes.every((c, i) => c === b.classes[i]);
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
