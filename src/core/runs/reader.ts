// The one reader of run.json: checks it against the schema (upgrading version 1), and resolves the files of
// each evaluation split. Every message names the file and the field.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { TrainConfigSchema } from './config';
import { VERSION_1_ORIGIN } from './origin';
import { RunRecordSchema, RunRecordV1Schema, type RunRecord } from './record';
import { UserError } from '../userError';

export const RUN_FILE = 'run.json';

/** A missing or malformed run folder: the user's to fix, so a one-line message. */
export class RunFolderError extends UserError {
  override readonly name = 'RunFolderError';
}

export interface RunSplit {
  readonly name: string;
  readonly count: number;
  /** logits-<split>.bin: Float32 N x C, row-major. */
  readonly logitsFile: string;
  /** labels-<split>.bin: Int32 N. */
  readonly labelsFile: string;
  /** files-<split>.txt (the image of each row) when the run has one. */
  readonly filesFile: string | null;
}

export interface RunFolder {
  readonly dir: string;
  /** <dir>/run.json */
  readonly file: string;
  /** The record's name, or the folder's when the record has none. */
  readonly name: string;
  readonly record: RunRecord;
  /** The evaluation splits whose logits and labels are both on disk. */
  readonly splits: readonly RunSplit[];
  /** model/model.json (TF.js), else model.onnx, when the run has a model. */
  readonly modelJson: string | null;
}

/** The issue's field path (under `prefix`, for a part checked on its own) and what it must be. */
function describe(issue: v.BaseIssue<unknown>, prefix = ''): string {
  const path = v.getDotPath(issue);
  const at = path === null ? prefix.slice(0, -1) || null : prefix + path;
  if (at === null) return issue.message;
  // A missing key is reported by its object; say so rather than repeat the object's rule.
  if (issue.kind === 'schema' && issue.type === 'object' && issue.received === 'undefined') return `"${at}" is missing`;
  return `"${at}" ${issue.message}`;
}

function parse<S extends v.GenericSchema>(schema: S, raw: unknown, file: string, at = ''): v.InferOutput<S> {
  const result = v.safeParse(schema, raw, { abortEarly: true });
  if (!result.success) throw new RunFolderError(`${file}: ${describe(result.issues[0], at)}.`);
  return result.output;
}

/** Checks a parsed run.json of either version; the result is always version 2. */
export function parseRunRecord(raw: unknown, file: string): RunRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RunFolderError(`${file}: expected a JSON object.`);
  const version = (raw as { version?: unknown }).version;
  if (version === 1) {
    const { config, ...rest } = parse(RunRecordV1Schema, raw, file);
    return parse(RunRecordSchema, { ...rest, version: 2, loss: config.loss, origin: VERSION_1_ORIGIN, config }, file);
  }
  if (version !== 2) throw new RunFolderError(`${file}: "version" must be 1 or 2.`);
  const record = parse(RunRecordSchema, raw, file);
  // A TF.js run's settings are a TrainConfig; other engines add fields of their own.
  if (record.origin.kind === 'trained' && record.origin.engine === 'tfjs' && record.config) parse(TrainConfigSchema, record.config, file, 'config.');
  return record;
}

/** Reads and checks <dir>/run.json and finds the files of its splits. */
export function readRun(dir: string): RunFolder {
  const file = path.join(dir, RUN_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new RunFolderError(`${dir} is not a run folder: it has no ${RUN_FILE}`);
    throw new RunFolderError(`Cannot read run ${file}: ${(err as Error).message}`);
  }
  const record = parseRunRecord(raw, file);
  const splits: RunSplit[] = [];
  for (const s of record.evalSplits) {
    const logitsFile = path.join(dir, `logits-${s.name}.bin`);
    const labelsFile = path.join(dir, `labels-${s.name}.bin`);
    const filesFile = path.join(dir, `files-${s.name}.txt`);
    if (existsSync(logitsFile) && existsSync(labelsFile)) {
      splits.push({ name: s.name, count: s.count, logitsFile, labelsFile, filesFile: existsSync(filesFile) ? filesFile : null });
    }
  }
  // The run's model file: TF.js model/model.json, else model.onnx (ONNX imports, torch runs; export handles both).
  const tfjsModel = path.join(dir, 'model', 'model.json');
  const modelJson = existsSync(tfjsModel) ? tfjsModel : path.join(dir, 'model.onnx');
  return { dir, file, name: record.name || path.basename(dir), record, splits, modelJson: existsSync(modelJson) ? modelJson : null };
}
