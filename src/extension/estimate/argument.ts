// The argument of lade.estimatePrior for automation and tests, { run, folder, method?, split? }, which runs
// can estimate at all, and the labelled splits a run can calibrate on. No vscode here, so it is testable
// under plain Node.
import path from 'node:path';
import { ESTIMATE_METHODS, type EstimateMethodName } from '../../protocol/estimateWorker';
import { isRecord, SPLIT_NAME } from '../../protocol/validate';
import { readRun, type RunFolder } from '../../core/runs';
import { readLabels } from '../metrics/runFolders';

export interface EstimateArgument {
  /** A run name in .lade/runs, or a run folder (absolute, or relative to the workspace folder). */
  readonly run: string;
  /** The folder of unlabelled images (absolute, or relative to the workspace folder). */
  readonly folder: string;
  readonly method: EstimateMethodName;
  /** The run's labelled split to calibrate on (default val). */
  readonly split: string;
}

export class EstimateArgumentError extends Error {
  override readonly name = 'EstimateArgumentError';
}

const FIELDS = ['run', 'folder', 'method', 'split'];
const USAGE =
  "lade.estimatePrior: expected { run: 'run name or folder', folder: 'image folder', method?: 'em-bcts' | 'em' | 'bbse', split?: 'val' }";

/** undefined when there is no argument (the user is asked); otherwise the checked argument. */
export function parseEstimateArgument(arg: unknown): EstimateArgument | undefined {
  if (arg === undefined || arg === null) return undefined;
  if (!isRecord(arg)) throw new EstimateArgumentError(`${USAGE}, got ${Array.isArray(arg) ? 'a list' : typeof arg}.`);
  const unknown = Object.keys(arg).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) throw new EstimateArgumentError(`${USAGE}; unknown field(s): ${unknown.join(', ')}.`);
  const text = (key: 'run' | 'folder'): string => {
    const v = arg[key];
    if (typeof v !== 'string' || v.trim() === '') throw new EstimateArgumentError(`lade.estimatePrior: field '${key}' must be a non-empty string.`);
    return v;
  };
  const method = arg.method ?? 'em-bcts';
  if (typeof method !== 'string' || !(ESTIMATE_METHODS as readonly string[]).includes(method)) {
    throw new EstimateArgumentError(`lade.estimatePrior: field 'method' must be one of ${ESTIMATE_METHODS.join(', ')}, got ${JSON.stringify(method)}.`);
  }
  const split = arg.split ?? 'val';
  if (typeof split !== 'string' || !SPLIT_NAME.test(split)) {
    throw new EstimateArgumentError(`lade.estimatePrior: field 'split' must be a split name such as 'val' or 'test', got ${JSON.stringify(split)}.`);
  }
  return { run: text('run'), folder: text('folder'), method: method as EstimateMethodName, split };
}

/**
 * Why a run cannot estimate (no cached labelled split to calibrate on), or null. A run without a model (an
 * import of logits) still can, from the deployment images' logits in a file.
 */
export function runProblem(run: RunFolder): string | null {
  if (run.splits.length === 0) {
    return `Run '${run.name}' has no cached labelled logits (logits-val.bin, labels-val.bin) to calibrate on; train it with a validation split.`;
  }
  return null;
}

/** Why a run cannot calibrate on `split`, naming the splits it has, or null. */
export function splitProblem(run: RunFolder, split: string): string | null {
  if (run.splits.some((s) => s.name === split)) return null;
  const have = run.splits.map((s) => s.name);
  return `Run '${run.name}' has no cached '${split}' logits (logits-${split}.bin, labels-${split}.bin) to calibrate on; it has ${have.length ? have.join(', ') : 'none'}.`;
}

export interface CalibrationSplit {
  readonly name: string;
  readonly images: number;
  /** The fewest images any class has in the split, and that class. */
  readonly fewest: number;
  readonly fewestClass: string;
}

/**
 * The run's labelled splits, val first, with what decides how well each calibrates: the estimate is only
 * as good as the split is for the classes deployment is made of (README, bench:prior).
 */
export function calibrationSplits(run: RunFolder): CalibrationSplit[] {
  const rank = (name: string): number => (name === 'val' ? 0 : 1);
  return [...run.splits]
    .sort((a, b) => rank(a.name) - rank(b.name))
    .map((s) => {
      const labels = readLabels(s, run.record.classes.length);
      const counts = new Array<number>(run.record.classes.length).fill(0);
      for (const y of labels) counts[y]!++;
      const fewest = Math.min(...counts);
      return { name: s.name, images: labels.length, fewest, fewestClass: run.record.classes[counts.indexOf(fewest)] ?? '' };
    });
}

/** The run an argument names: a run of .lade/runs by name first, else a run folder. */
export function resolveRun(name: string, runs: readonly RunFolder[], root: string | undefined): RunFolder {
  const byName = runs.find((r) => r.name === name);
  if (byName) return byName;
  const looksLikePath = path.isAbsolute(name) || name.includes('/') || name.includes(path.sep);
  if (!looksLikePath) {
    const known = runs.map((r) => r.name);
    throw new EstimateArgumentError(
      `lade.estimatePrior: no run named '${name}' in .lade/runs (${known.length ? `runs: ${known.slice(0, 10).join(', ')}` : 'there are none yet: train one with LADE: Train with LADE'}).`,
    );
  }
  return readRun(root ? path.resolve(root, name) : path.resolve(name));
}
