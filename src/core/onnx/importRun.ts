// Imports a model trained elsewhere (exported to ONNX) as an ordinary run folder (docs/run-format.md):
// the model's logits on the dataset's labelled evaluation splits, the training counts of its train split,
// and the model itself, so every view (eval, metrics, priors, estimation, export) works on it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { listSamples } from '../dataset';
import { readClassNameMap } from '../dataset/classNames';
import { DatasetError } from '../dataset/errors';
import { canonicalSplit } from '../dataset/splits';
import { writeFileAtomic } from '../atomicWrite';
import { CancelledError, inferInWorker, OnnxInputError, type WorkerHooks } from './inferInWorker';
import type { OnnxDevice } from './session';
import type { InferOutcome } from './workerProtocol';
import { writeRunRecord, type ImportedRunRecord, type RunLoss } from './runRecord';

export interface OnnxImportOptions {
  readonly runDir: string;
  /** The .onnx file, as the user gave it (recorded in origin.files). */
  readonly model: string;
  readonly data: string;
  /** Class names by index (one per line, or "name index" lines); default: folder names by code point. */
  readonly classes?: string;
  /** How the model was trained (default ce). */
  readonly loss?: RunLoss;
  readonly mean?: string;
  readonly std?: string;
  readonly device?: OnnxDevice;
  readonly force?: boolean;
}

export interface OnnxImportResult {
  readonly record: ImportedRunRecord;
  readonly provider: InferOutcome['provider'];
  readonly layout: InferOutcome['input']['layout'];
  readonly normSource: InferOutcome['input']['normSource'];
}

/** Progress per split, cancel through the signal, and where the bundled worker is. */
export type OnnxImportHooks = WorkerHooks;

/** torchvision's ImageFolder order: Python's sorted(), i.e. by Unicode code point (not UTF-16 unit). */
export function codePointOrder(names: readonly string[]): string[] {
  const cmp = (a: string, b: string): number => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  return [...names].sort(cmp);
}

interface Split {
  readonly files: string[];
  readonly names: string[];
}

/** The dataset's images by canonical split (train, val, test) with their class names. */
async function scan(data: string, signal?: AbortSignal): Promise<Map<string, Split>> {
  const splits = new Map<string, Split>();
  for await (const s of listSamples(data, { signal })) {
    const name = s.split === null ? null : canonicalSplit(s.split);
    if (name === null) {
      throw new OnnxInputError(`dataset '${data}' needs split folders train/ and val/ or test/ (found ${s.split === null ? 'class folders at the top' : `'${s.split}'`}).`);
    }
    const split = splits.get(name) ?? { files: [], names: [] };
    split.files.push(s.path);
    split.names.push(s.className);
    splits.set(name, split);
  }
  return splits;
}

async function classOrder(found: ReadonlySet<string>, file: string | undefined): Promise<string[]> {
  if (file === undefined) return codePointOrder([...found]);
  const names = await readClassNameMap(file);
  const missing = [...found].filter((c) => !names.includes(c));
  if (missing.length > 0) throw new OnnxInputError(`class folder '${missing[0]}' is not in --classes ${file} (${missing.length} missing).`);
  return names;
}

/** Refuses to write into a non-empty folder without force, and with force only into a run folder. */
function prepareRunDir(dir: string, force: boolean): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!force) throw new OnnxInputError(`run folder '${dir}' already exists and is not empty; pass --force to replace it.`);
    if (!existsSync(path.join(dir, 'run.json'))) throw new OnnxInputError(`'${dir}' is not a run folder (no run.json); not replacing it even with --force.`);
    rmSync(dir, { recursive: true });
  }
  mkdirSync(dir, { recursive: true });
}

function argmaxAccuracy(logits: Float32Array, labels: Int32Array, C: number): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (logits[i * C + c]! > logits[i * C + best]!) best = c;
    if (best === labels[i]) right++;
  }
  return labels.length === 0 ? 0 : (100 * right) / labels.length;
}

/** Imports the model; a cancel (hooks.signal) rejects with CancelledError and leaves no run folder. */
export async function importOnnxRun(options: OnnxImportOptions, hooks: OnnxImportHooks = {}): Promise<OnnxImportResult> {
  try {
    return await importRun(options, hooks);
  } catch (e) {
    if (hooks.signal?.aborted && !(e instanceof CancelledError)) throw new CancelledError('cancelled');
    throw e;
  }
}

async function importRun(options: OnnxImportOptions, hooks: OnnxImportHooks): Promise<OnnxImportResult> {
  const startedAt = new Date().toISOString();
  const data = path.resolve(options.data);
  if (!existsSync(options.model)) throw new OnnxInputError(`model '${options.model}' does not exist.`);
  let splits: Map<string, Split>;
  try {
    splits = await scan(data, hooks.signal);
  } catch (e) {
    if (e instanceof DatasetError) throw new OnnxInputError(e.message);
    throw e;
  }
  const train = splits.get('train');
  if (!train) throw new OnnxInputError(`dataset '${data}' has no train split (its training counts give the source prior).`);
  const evalNames = ['val', 'test'].filter((s) => splits.has(s));
  if (evalNames.length === 0) throw new OnnxInputError(`dataset '${data}' has no labelled val or test split to evaluate the model on.`);
  const found = new Set([...splits.values()].flatMap((s) => s.names));
  const classes = await classOrder(found, options.classes);
  const index = new Map(classes.map((c, i) => [c, i]));

  const outcome = await inferInWorker(
    {
      model: path.resolve(options.model),
      device: options.device ?? 'cpu',
      mean: options.mean,
      std: options.std,
      numClasses: classes.length,
      splits: evalNames.map((name) => ({ name, files: splits.get(name)!.files })),
    },
    hooks,
  );

  const runDir = path.resolve(options.runDir);
  prepareRunDir(runDir, options.force === true);
  const C = classes.length;
  const finalAccuracy: Record<string, number> = {};
  for (const { name, logits } of outcome.splits) {
    const split = splits.get(name)!;
    const labels = Int32Array.from(split.names, (n) => index.get(n)!);
    writeFileAtomic(path.join(runDir, `logits-${name}.bin`), [new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength)]);
    writeFileAtomic(path.join(runDir, `labels-${name}.bin`), [new Uint8Array(labels.buffer)]);
    writeFileAtomic(path.join(runDir, `files-${name}.txt`), split.files.map((f) => path.relative(data, f).split(path.sep).join('/')).join('\n') + '\n');
    finalAccuracy[name] = argmaxAccuracy(logits, labels, C);
  }
  writeFileAtomic(path.join(runDir, 'model.onnx'), [readFileSync(options.model)]);
  const trainCounts = new Array<number>(C).fill(0);
  for (const n of train.names) trainCounts[index.get(n)!]!++;
  const total = train.names.length;
  const { size, channels, mean, std } = outcome.input;
  const record: ImportedRunRecord = {
    version: 2,
    name: path.basename(runDir),
    status: 'completed',
    loss: options.loss ?? 'ce',
    origin: { kind: 'imported', source: 'onnx', files: [options.model] },
    classes,
    trainCounts,
    sourcePrior: trainCounts.map((n) => n / total),
    evalSplits: outcome.splits.map((s) => ({ name: s.name, count: splits.get(s.name)!.files.length })),
    finalAccuracy,
    input: { size, channels, mean, std },
    startedAt,
    finishedAt: new Date().toISOString(),
  };
  writeRunRecord(runDir, record);
  return { record, provider: outcome.provider, layout: outcome.input.layout, normSource: outcome.input.normSource };
}
