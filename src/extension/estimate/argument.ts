// The argument of lade.estimatePrior for automation and tests, { run, folder, method? }, and which runs can
// estimate at all. No vscode here, so it is testable under plain Node.
import path from 'node:path';
import { ESTIMATE_METHODS, type EstimateMethodName } from '../../protocol/estimateWorker';
import { isRecord } from '../../protocol/validate';
import { readRun, type RunInfo } from '../metrics/runFolders';

export interface EstimateArgument {
  /** A run name in .lade/runs, or a run folder (absolute, or relative to the workspace folder). */
  readonly run: string;
  /** The folder of unlabelled images (absolute, or relative to the workspace folder). */
  readonly folder: string;
  readonly method: EstimateMethodName;
}

export class EstimateArgumentError extends Error {
  override readonly name = 'EstimateArgumentError';
}

const FIELDS = ['run', 'folder', 'method'];
const USAGE = "lade.estimatePrior: expected { run: 'run name or folder', folder: 'image folder', method?: 'em-bcts' | 'em' | 'bbse' }";

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
  return { run: text('run'), folder: text('folder'), method: method as EstimateMethodName };
}

/** Why a run cannot estimate (no saved model, no cached validation logits to calibrate on), or null. */
export function runProblem(run: RunInfo): string | null {
  if (!run.modelJson) return `Run '${run.name}' has no saved model (${path.join(run.dir, 'model', 'model.json')}).`;
  if (!run.splits.some((s) => s.name === 'val')) {
    return `Run '${run.name}' has no cached validation logits (logits-val.bin, labels-val.bin) to calibrate on; train it with a validation split.`;
  }
  return null;
}

/** The run an argument names: a run of .lade/runs by name first, else a run folder. */
export function resolveRun(name: string, runs: readonly RunInfo[], root: string | undefined): RunInfo {
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
