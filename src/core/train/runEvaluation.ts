// Metrics of finished runs from their cached logits, for `lade eval` and bench:fmnist. The three methods
// of the paper's comparison:
//   Softmax     = a CE run's raw logits
//   PC Softmax  = a CE run + priorBias('ce-pc', p_s, p_t)
//   LADE        = a LADE (or Balanced Softmax) run + priorBias('lade', p_s, p_t)
// Target priors: 'uniform', 'forward:R' and 'backward:R' use the paper's shifted-subset protocol on the
// evaluation split (each class keeps its first images; the predictor gets the exact subset prior); a prior
// file is applied to every row, with metrics reweighted to that prior.
import { UserError } from '../userError';
import { readFileSync } from 'node:fs';
import { classList } from '../classLabels';
import path from 'node:path';
import { evaluateLogits, subsetProtocol } from '../metrics';
import type { EvalMetrics } from '../metrics/types';
import { alignToClasses, parseImport, parsePriorFile, type AlignedPrior } from '../priors/files';
import { priorBias, type ShiftDirection } from '../priors';
import { biasKindOf, methodsFor, type Method } from '../runs/lossKind';
import { readRun } from '../runs/reader';
import type { RunRecord } from '../runs/record';

export interface LoadedRun {
  readonly dir: string;
  readonly record: RunRecord;
  readonly split: string;
  readonly logits: Float32Array;
  readonly labels: Int32Array;
}

/** A completed run with the logits and labels of one split (default: test, else the first it has). */
export function loadRun(dir: string, split?: string): LoadedRun {
  const { record, splits } = readRun(dir);
  if (record.status !== 'completed') {
    const data = record.config?.dataDir ?? '<dataset>';
    throw new UserError(`run ${dir} was ${record.status}; finish it first with lade train ${data} --out ${dir} --resume`);
  }
  const names = splits.map((s) => s.name);
  const chosen = split ?? (names.includes('test') ? 'test' : names[0]);
  const files = splits.find((s) => s.name === chosen);
  if (!chosen || !files) {
    throw new UserError(`Run '${dir}' has no logits for split '${chosen ?? '?'}' (it has: ${names.join(', ') || 'none'}).`);
  }
  const raw = (file: string): Buffer => {
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (buf.length % 4 !== 0) throw new UserError(`${file} is truncated: ${buf.length} bytes is not a whole number of 4-byte values`);
    return buf;
  };
  const l = raw(files.logitsFile);
  const y = raw(files.labelsFile);
  const logits = new Float32Array(l.buffer.slice(l.byteOffset, l.byteOffset + l.length));
  const labels = new Int32Array(y.buffer.slice(y.byteOffset, y.byteOffset + y.length));
  if (logits.length !== labels.length * record.classes.length) {
    throw new UserError(`${path.join(dir, `logits-${chosen}.bin`)} holds ${logits.length} values, expected ${labels.length} images x ${record.classes.length} classes (is it truncated?)`);
  }
  const bad = labels.findIndex((v) => v < 0 || v >= record.classes.length);
  if (bad >= 0) throw new UserError(`${path.join(dir, `labels-${chosen}.bin`)}: row ${bad} has label ${labels[bad]}, outside 0..${record.classes.length - 1}`);
  return { dir, record, split: chosen, logits, labels };
}

export type PriorSpec =
  | { readonly kind: 'shift'; readonly direction: ShiftDirection; readonly ratio: number }
  | { readonly kind: 'file'; readonly file: string };

/** 'uniform' | 'forward:R' | 'backward:R' | a prior file (lade-prior JSON, JSON object/list, or CSV). */
export function parsePriorSpec(text: string): PriorSpec {
  if (text === 'uniform') return { kind: 'shift', direction: 'uniform', ratio: 1 };
  const m = /^(forward|backward)[:-](.*)$/.exec(text);
  if (m) {
    const ratio = m[2]!.trim() === '' ? NaN : Number(m[2]);
    if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new UserError(`prior '${text}': the ratio after '${m[1]}:' must be a number >= 1, got '${m[2]}'`);
    return { kind: 'shift', direction: m[1] as ShiftDirection, ratio };
  }
  // name:value that is not a shift is a misspelt prior, not a file (a file path has no such prefix).
  const spec = /^([A-Za-z]+):(.*)$/.exec(text);
  if (spec && spec[1]!.length > 1) throw new UserError(`unknown prior '${text}': use uniform, forward:R, backward:R or a prior file`);
  return { kind: 'file', file: text };
}

export function priorSpecName(spec: PriorSpec): string {
  return spec.kind === 'file' ? path.basename(spec.file) : spec.direction === 'uniform' ? 'uniform' : `${spec.direction}-${spec.ratio}`;
}

function readPriorFile(file: string, classes: readonly string[]): AlignedPrior {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT'
        ? `prior '${file}' is neither uniform, forward:R, backward:R nor an existing prior file`
        : `cannot read prior file ${file}: ${(e as Error).message}`,
    );
  }
  // A lade-prior file when it says so; any other JSON or CSV is read as class -> share/count.
  if (/"format"\s*:\s*"lade-prior"/.test(text)) {
    const named = parsePriorFile(text, file);
    return alignToClasses(new Map(named.classes.map((c, i) => [c, named.shares[i]])), classes, file);
  }
  return alignToClasses(parseImport(text, file), classes, file);
}

/**
 * The paper's shifted subsets over the classes that have evaluation images; a class with none is left out
 * of the protocol (target share 0) rather than making every shifted prior impossible.
 */
function shiftedSubset(labels: Int32Array, trainCounts: readonly number[], direction: ShiftDirection, ratio: number) {
  const c = trainCounts.length;
  const have = new Int32Array(c);
  for (const y of labels) if (y >= 0 && y < c) have[y]++;
  const present = trainCounts.flatMap((_, k) => (have[k]! > 0 && trainCounts[k]! > 0 ? [k] : []));
  if (present.length === 0) throw new UserError('no class has both training and evaluation images');
  const local = new Int32Array(c).fill(-1);
  present.forEach((k, i) => (local[k] = i));
  // Rows of absent classes are not in the subset; the protocol sees only the present classes.
  const keptRows = labels.reduce<number[]>((acc, y, i) => (local[y]! >= 0 ? (acc.push(i), acc) : acc), []);
  const subset = subsetProtocol({
    labels: Int32Array.from(keptRows, (i) => local[labels[i]!]!),
    trainCounts: present.map((k) => trainCounts[k]!),
    direction,
    ratio,
  });
  const target = new Float64Array(c);
  present.forEach((k, i) => (target[k] = subset.targetPrior[i]!));
  return { rows: Int32Array.from(subset.rows, (r) => keptRows[r]!), target, absent: trainCounts.flatMap((_, k) => (local[k] === -1 ? [k] : [])) };
}

export interface MethodResult {
  readonly method: Method;
  readonly run: string;
  readonly metrics: EvalMetrics;
}

export interface PriorEvaluation {
  readonly prior: string;
  readonly rows: number;
  readonly results: readonly MethodResult[];
  /** What the numbers leave out: classes with no evaluation images, classes a prior file does not name. */
  readonly warnings: readonly string[];
}

/**
 * Evaluates the methods the given runs support under one prior: a CE run gives Softmax and PC Softmax,
 * every prior-free loss (LADE, Balanced Softmax, logit adjustment) gives LADE's + log p_t (runs/lossKind.ts). Runs must share classes and evaluation labels.
 */
export function evaluateRuns(runs: readonly LoadedRun[], spec: PriorSpec): PriorEvaluation {
  const ref = runs[0];
  if (!ref) throw new Error('No run to evaluate.');
  for (const r of runs.slice(1)) {
    if (r.record.classes.join('\n') !== ref.record.classes.join('\n') || r.labels.join() !== ref.labels.join()) {
      throw new UserError(`Runs '${ref.dir}' and '${r.dir}' have different classes or evaluation labels; compare runs on the same data.`);
    }
  }
  const trainCounts = ref.record.trainCounts;
  const classes = ref.record.classes;
  const warnings: string[] = [];
  let rows: Int32Array | undefined;
  let target: Float64Array;
  if (spec.kind === 'shift') {
    const subset = shiftedSubset(ref.labels, trainCounts, spec.direction, spec.ratio);
    rows = subset.rows;
    target = subset.target;
    if (subset.absent.length > 0) {
      warnings.push(
        `${subset.absent.length} class${subset.absent.length === 1 ? ' has' : 'es have'} no ${ref.split} images (or no training images) and ` +
          `${subset.absent.length === 1 ? 'is' : 'are'} left out of the ${priorSpecName(spec)} evaluation: ${classList(subset.absent, classes)}`,
      );
    }
  } else {
    const aligned = readPriorFile(spec.file, classes);
    target = aligned.prior;
    if (aligned.missing.length > 0) {
      const missing = aligned.missing.map((n) => classes.indexOf(n));
      warnings.push(`${spec.file} gives no share for ${missing.length} class${missing.length === 1 ? '' : 'es'}, so they get share 0: ${classList(missing, classes)}`);
    }
    const have = new Set(ref.labels);
    const unseen = classes.flatMap((_, k) => (target[k]! > 0 && !have.has(k) ? [k] : []));
    if (unseen.length > 0) warnings.push(`${unseen.length} class${unseen.length === 1 ? '' : 'es'} with a share in ${spec.file} have no ${ref.split} images to measure: ${classList(unseen, classes)}`);
  }
  const results: MethodResult[] = [];
  for (const run of runs) {
    for (const method of methodsFor(run.record.loss)) {
      const bias = priorBias(biasKindOf(method), run.record.sourcePrior, target, { classNames: run.record.classes });
      const logits = rows ? pick(run.logits, rows, run.record.classes.length) : run.logits;
      const labels = rows ? Int32Array.from(rows, (i) => run.labels[i]) : run.labels;
      const metrics = evaluateLogits({
        logits,
        labels,
        numClasses: run.record.classes.length,
        bias,
        trainCounts,
        targetPrior: target,
      });
      results.push({ method, run: run.dir, metrics });
    }
  }
  return { prior: priorSpecName(spec), rows: rows?.length ?? ref.labels.length, results, warnings };
}

function pick(logits: Float32Array, rows: Int32Array, c: number): Float32Array {
  const out = new Float32Array(rows.length * c);
  rows.forEach((r, k) => out.set(logits.subarray(r * c, (r + 1) * c), k * c));
  return out;
}
