// Metrics of finished runs from their cached logits, for `lade eval` and bench:fmnist. The three methods
// of the paper's comparison:
//   Softmax     = a CE run's raw logits
//   PC Softmax  = a CE run + priorBias('ce-pc', p_s, p_t)
//   LADE        = a LADE (or Balanced Softmax) run + priorBias('lade', p_s, p_t)
// Target priors: 'uniform', 'forward:R' and 'backward:R' use the paper's shifted-subset protocol on the
// evaluation split (each class keeps its first images; the predictor gets the exact subset prior); a prior
// file is applied to every row, with metrics reweighted to that prior.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateLogits, subsetProtocol } from '../metrics';
import type { EvalMetrics } from '../metrics/types';
import { alignToClasses, parseImport, parsePriorFile } from '../priors/files';
import { priorBias, type BiasKind, type ShiftDirection } from '../priors';
import type { RunRecord } from '../../protocol/training';

export type Method = 'softmax' | 'pc_softmax' | 'lade';

export interface LoadedRun {
  readonly dir: string;
  readonly record: RunRecord;
  readonly split: string;
  readonly logits: Float32Array;
  readonly labels: Int32Array;
}

export function loadRun(dir: string, split?: string): LoadedRun {
  const file = path.join(dir, 'run.json');
  let record: RunRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  } catch (e) {
    throw new Error(`Cannot read run '${file}': ${(e as Error).message}`, { cause: e });
  }
  if (record.version !== 1 || !Array.isArray(record.evalSplits)) throw new Error(`'${file}' is not a LADE run record.`);
  if (record.status !== 'completed') throw new Error(`Run '${dir}' was ${record.status}; finish it with lade train --resume first.`);
  const names = record.evalSplits.map((s) => s.name);
  const chosen = split ?? (names.includes('test') ? 'test' : names[0]);
  if (!chosen || !names.includes(chosen)) {
    throw new Error(`Run '${dir}' has no logits for split '${chosen ?? '?'}' (it has: ${names.join(', ') || 'none'}).`);
  }
  const raw = (name: string): Buffer => readFileSync(path.join(dir, `${name}-${chosen}.bin`));
  const l = raw('logits');
  const y = raw('labels');
  const logits = new Float32Array(l.buffer.slice(l.byteOffset, l.byteOffset + l.length));
  const labels = new Int32Array(y.buffer.slice(y.byteOffset, y.byteOffset + y.length));
  if (logits.length !== labels.length * record.classes.length) {
    throw new Error(`Run '${dir}': logits-${chosen}.bin holds ${logits.length} values, expected ${labels.length} x ${record.classes.length}.`);
  }
  return { dir, record, split: chosen, logits, labels };
}

export type PriorSpec =
  | { readonly kind: 'shift'; readonly direction: ShiftDirection; readonly ratio: number }
  | { readonly kind: 'file'; readonly file: string };

/** 'uniform' | 'forward:R' | 'backward:R' | a prior file (lade-prior JSON, JSON object/list, or CSV). */
export function parsePriorSpec(text: string): PriorSpec {
  if (text === 'uniform') return { kind: 'shift', direction: 'uniform', ratio: 1 };
  const m = /^(forward|backward)[:-](\d+(?:\.\d+)?)$/.exec(text);
  if (m) {
    const ratio = Number(m[2]);
    if (!(ratio >= 1)) throw new Error(`Prior '${text}': the ratio must be at least 1.`);
    return { kind: 'shift', direction: m[1] as ShiftDirection, ratio };
  }
  return { kind: 'file', file: text };
}

export function priorSpecName(spec: PriorSpec): string {
  return spec.kind === 'file' ? path.basename(spec.file) : spec.direction === 'uniform' ? 'uniform' : `${spec.direction}-${spec.ratio}`;
}

function readPriorFile(file: string, classes: readonly string[]): Float64Array {
  const text = readFileSync(file, 'utf8');
  try {
    const named = parsePriorFile(text, file);
    return alignToClasses(new Map(named.classes.map((c, i) => [c, named.shares[i]])), classes, file).prior;
  } catch {
    return alignToClasses(parseImport(text, file), classes, file).prior;
  }
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
}

const METHOD_BIAS: Record<Method, BiasKind> = { softmax: 'softmax', pc_softmax: 'ce-pc', lade: 'lade' };

/**
 * Evaluates the methods the given runs support under one prior: a CE run gives Softmax and PC Softmax,
 * a LADE or Balanced Softmax run gives LADE. Runs must share classes and evaluation labels.
 */
export function evaluateRuns(runs: readonly LoadedRun[], spec: PriorSpec): PriorEvaluation {
  const ref = runs[0];
  if (!ref) throw new Error('No run to evaluate.');
  for (const r of runs.slice(1)) {
    if (r.record.classes.join('\n') !== ref.record.classes.join('\n') || r.labels.join() !== ref.labels.join()) {
      throw new Error(`Runs '${ref.dir}' and '${r.dir}' have different classes or evaluation labels; compare runs on the same data.`);
    }
  }
  const trainCounts = ref.record.trainCounts;
  let rows: Int32Array | undefined;
  let target: Float64Array;
  if (spec.kind === 'shift') {
    const subset = subsetProtocol({ labels: ref.labels, trainCounts, direction: spec.direction, ratio: spec.ratio });
    rows = subset.rows;
    target = subset.targetPrior;
  } else {
    target = readPriorFile(spec.file, ref.record.classes);
  }
  const results: MethodResult[] = [];
  for (const run of runs) {
    const methods: Method[] = run.record.config.loss === 'ce' ? ['softmax', 'pc_softmax'] : ['lade'];
    for (const method of methods) {
      const bias = priorBias(METHOD_BIAS[method], run.record.sourcePrior, target, { classNames: run.record.classes });
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
  return { prior: priorSpecName(spec), rows: rows?.length ?? ref.labels.length, results };
}

function pick(logits: Float32Array, rows: Int32Array, c: number): Float32Array {
  const out = new Float32Array(rows.length * c);
  rows.forEach((r, k) => out.set(logits.subarray(r * c, (r + 1) * c), k * c));
  return out;
}
