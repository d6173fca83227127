// Writes an ordinary run folder (docs/run-format.md) from predictions made elsewhere: each split's logits
// and labels, the source prior from the training counts, plain top-1 accuracy per split and run.json.
// Every split is read, checked and written into a hidden folder beside the target, which replaces the
// target only once all of it succeeded, so a failed import leaves no run folder. The splits are producers,
// so a source other than logits files (an ONNX model run over a dataset) plugs in the same way.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { RUN_FILE, writeRun, type ImportSource, type LossKind, type RunRecord } from '../runs';
import { accuracyOf, writeEvalFiles } from '../train/evalFiles';
import { ImportError } from './errors';
import type { Predictions } from './predictions';

export interface SplitSource {
  readonly name: string;
  /** Labelled predictions in class order, already checked against the classes. */
  readonly read: () => Predictions | Promise<Predictions>;
}

export interface ImportOptions {
  readonly dir: string;
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  readonly loss: LossKind;
  readonly source: ImportSource;
  /** What was imported, as the user gave it. */
  readonly files: readonly string[];
  readonly splits: readonly SplitSource[];
  /** Replace an existing run folder. */
  readonly force: boolean;
}

/** Refuses to overwrite without force, and with force refuses anything but a run folder or an empty one. */
function checkTarget(dir: string, force: boolean): boolean {
  if (!existsSync(dir)) return false;
  if (!force) throw new ImportError(`${dir} already exists; use --force to replace it.`);
  if (!statSync(dir).isDirectory()) throw new ImportError(`${dir} exists and is not a folder.`);
  if (!existsSync(path.join(dir, RUN_FILE)) && readdirSync(dir).length > 0) {
    throw new ImportError(`${dir} is a folder with other files and no run.json; --force replaces run folders only.`);
  }
  return true;
}

/** Where importRun writes a run before renaming it into place (per process, so a stopped import can be cleaned up). */
export function stagingDir(dir: string): string {
  const abs = path.resolve(dir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.import-${process.pid}`);
}

export async function importRun(o: ImportOptions): Promise<RunRecord> {
  const started = new Date();
  const dir = path.resolve(o.dir);
  const replace = checkTarget(dir, o.force);
  if (o.splits.length === 0) throw new ImportError('nothing to import: give at least one split.');
  const total = o.trainCounts.reduce((a, b) => a + b, 0);
  const tmp = stagingDir(dir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const evalSplits: { name: string; count: number }[] = [];
    const finalAccuracy: Record<string, number> = {};
    for (const split of o.splits) {
      const p = await split.read();
      if (!p.labels) throw new Error(`split '${split.name}' was read without labels`);
      writeEvalFiles(tmp, split.name, p.logits, p.labels);
      finalAccuracy[split.name] = 100 * accuracyOf(p.logits, p.labels, o.classes.length);
      evalSplits.push({ name: split.name, count: p.rows });
    }
    const finished = new Date();
    const record = writeRun(tmp, {
      version: 2,
      name: path.basename(dir),
      status: 'completed',
      loss: o.loss,
      origin: { kind: 'imported', source: o.source, files: o.files },
      classes: o.classes,
      trainCounts: o.trainCounts,
      sourcePrior: o.trainCounts.map((n) => n / total),
      evalSplits,
      finalAccuracy,
      timings: { importMs: finished.getTime() - started.getTime() },
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
    });
    if (replace) {
      const old = `${tmp}-old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
    return record;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
