// The page's side of the what-if workers: one worker per core, each holding a contiguous share of every
// run's rows. A prior change goes to all of them at once (they stay in step, so their answers are about the
// same prior); their class sums are merged per method and summarised here. While they work, only the
// newest waiting prior is kept: a slider drag never queues stale passes.
import {
  mergeClassSums,
  subsetProtocol,
  summarizeClassSums,
  sweepSettings,
  type ClassSums,
  type ReliabilityBin,
  type RowScanEngine,
  type ShotMeans,
  type ShotThresholds,
  type Subset,
} from '../../src/core/metrics';
import { uniformPrior, type ShiftDirection } from '../../src/core/priors';
import { checkMessage } from '../../src/core/message';
import { FromWorkerSchema, type FromWorker, type MethodPart, type MethodSpec, type RunSlice, type ToWorker } from '../../src/protocol/whatifWorker';

export interface Scalars {
  readonly expectedAccuracy: number;
  readonly top1: number;
  readonly shots: ShotMeans | null;
  readonly macroRecall: number;
  readonly macroPrecision: number;
  readonly nll: number;
  readonly ece: number;
}

/** A method's metrics under the current prior, as the page shows them. */
export interface MethodResult {
  readonly method: string;
  readonly error?: string;
  readonly scalars?: Scalars;
  readonly perClassRecall?: Float64Array;
  readonly reliability?: readonly ReliabilityBin[];
  /** The confusion's non-empty cells (ClassSums.cells: [true, predicted, rows, ...], a cell possibly listed twice). */
  readonly cells?: Int32Array;
}

export interface SweepPoint {
  readonly name: string;
  readonly direction: ShiftDirection;
  readonly ratio: number;
  /** Top-1 accuracy on the shifted subset, predictions compensated to its exact prior. */
  readonly accuracy: number;
}

/** A run as fetched: its logits and labels over all its rows. */
export interface LoadedRun {
  readonly name: string;
  readonly numSamples: number;
  readonly methods: readonly MethodSpec[];
  readonly logits: ArrayBuffer;
  readonly labels: ArrayBuffer;
  readonly trainCounts: readonly number[];
}

export interface PoolSetup {
  readonly numClasses: number;
  readonly thresholds: ShotThresholds;
  readonly perClassTestCount: number;
}

type Load = Extract<ToWorker, { type: 'load' }>;

/** How many workers: one per core, at most four (the page needs a core too), never more than the smallest run's rows. */
export function workerCount(numSamples: number): number {
  const cores = typeof navigator === 'object' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(4, cores, numSamples));
}

/** The paper's shifted test sets over a run's labels, or why they cannot be built. */
function subsetsOf(run: LoadedRun, setup: PoolSetup): Subset[] | string {
  try {
    const labels = new Int32Array(run.labels);
    return sweepSettings().map(([direction, ratio]) => subsetProtocol({ labels, trainCounts: run.trainCounts, direction, ratio, perClassTestCount: setup.perClassTestCount }));
  } catch (err) {
    return (err as Error).message;
  }
}

/** Worker w's share of a run's n rows: [start, end). */
function share(w: number, workers: number, n: number): [number, number] {
  return [Math.floor((w * n) / workers), Math.floor(((w + 1) * n) / workers)];
}

function loadMessages(runs: readonly LoadedRun[], setup: PoolSetup, workers: number, subsets: (Subset[] | string)[]): Load[] {
  const c = setup.numClasses;
  return Array.from({ length: workers }, (_, w) => {
    const slices = runs.map((run, r): RunSlice => {
      const [start, end] = share(w, workers, run.numSamples);
      const sets = subsets[r];
      return {
        methods: run.methods,
        logits: run.logits.slice(start * c * 4, end * c * 4),
        labels: run.labels.slice(start * 4, end * 4),
        trainCounts: run.trainCounts,
        sweep:
          typeof sets === 'string' || sets === undefined
            ? undefined
            : sets.map((s) => ({
                rows: Int32Array.from(s.rows.filter((i) => i >= start && i < end), (i) => i - start).buffer,
                targetPrior: Array.from(s.targetPrior),
              })),
      };
    });
    return { type: 'load', numClasses: c, runs: slices };
  });
}

const scalarsOf = (m: ReturnType<typeof summarizeClassSums>): Scalars => ({
  expectedAccuracy: m.expectedAccuracy,
  top1: m.top1,
  shots: m.shots,
  macroRecall: m.macroRecall,
  macroPrecision: m.macroPrecision,
  nll: m.nll,
  ece: m.ece,
});

export class WhatIfPool {
  loaded = false;
  /** The workers' row-scan engine ('js' if any of them fell back). */
  engine: RowScanEngine = 'wasm';
  readonly uniform = new Map<string, Scalars | undefined>();
  readonly sweep = new Map<string, { points?: readonly SweepPoint[]; error?: string }>();
  /** The newest merged answer. */
  latest: { id: number; results: ReadonlyMap<string, MethodResult> } | null = null;

  private readonly methods: { spec: MethodSpec; trainCounts: Float64Array }[];
  /** Per worker, per method: the sums it last sent (what "unchanged" refers to). */
  private readonly lastParts: Map<string, ClassSums>[];
  /** Per method: the merged sums of the last answer and the parts they came from. */
  private readonly merged = new Map<string, { parts: ClassSums[]; sums: ClassSums }>();
  private inFlight: { id: number; target: readonly number[]; answers: (readonly MethodPart[] | undefined)[] } | null = null;
  private waiting: { id: number; target: readonly number[] } | null = null;

  constructor(
    private readonly threads: readonly Worker[],
    runs: readonly LoadedRun[],
    private readonly setup: PoolSetup,
    private readonly onUpdate: () => void,
    private readonly onError: (message: string) => void,
  ) {
    this.methods = runs.flatMap((run) => run.methods.map((spec) => ({ spec, trainCounts: Float64Array.from(run.trainCounts) })));
    this.lastParts = threads.map(() => new Map());
    const subsets = runs.map((run) => subsetsOf(run, setup));
    const loads = loadMessages(runs, setup, threads.length, subsets);
    const loadedParts: ({ uniform: readonly MethodPart[]; sweep: Extract<FromWorker, { type: 'loaded' }>['sweep'] } | undefined)[] = threads.map(() => undefined);
    threads.forEach((worker, w) => {
      worker.onerror = (e) => this.onError(e.message || 'the what-if worker failed');
      worker.onmessage = (e: MessageEvent<unknown>) => {
        let m: FromWorker;
        try {
          m = checkMessage(FromWorkerSchema, e.data, 'what-if worker');
        } catch (err) {
          m = { type: 'error', message: (err as Error).message };
        }
        if (m.type === 'error') {
          this.onError(m.message);
          // Its part of the answer in flight will not come: let the others' stand as errors, not wait forever.
          if (this.inFlight) this.answer(w, this.inFlight.id, []);
        } else if (m.type === 'loaded') {
          loadedParts[w] = m;
          if (m.engine === 'js') this.engine = 'js';
          if (loadedParts.every((p) => p !== undefined)) this.finishLoad(loadedParts.map((p) => p?.uniform ?? []), loadedParts.map((p) => p?.sweep ?? []), runs, subsets);
        } else {
          this.answer(w, m.id, m.parts);
        }
      };
      const load = loads[w] as Load;
      worker.postMessage(load, load.runs.flatMap((r) => [r.logits, r.labels, ...(r.sweep ?? []).map((s) => s.rows)]));
    });
    // Busy until loaded: a prior that arrives meanwhile waits.
    this.inFlight = { id: 0, target: [], answers: [] };
  }

  get workers(): number {
    return this.threads.length;
  }

  request(id: number, target: readonly number[]): void {
    if (this.inFlight) this.waiting = { id, target };
    else this.send(id, target);
  }

  terminate(): void {
    for (const t of this.threads) t.terminate();
  }

  private send(id: number, target: readonly number[]): void {
    this.inFlight = { id, target, answers: this.threads.map(() => undefined) };
    const m: ToWorker = { type: 'evaluate', id, target };
    for (const t of this.threads) t.postMessage(m);
  }

  private next(): void {
    this.inFlight = null;
    const w = this.waiting;
    this.waiting = null;
    if (w) this.send(w.id, w.target);
  }

  private finishLoad(uniform: (readonly MethodPart[])[], sweep: Extract<FromWorker, { type: 'loaded' }>['sweep'][], runs: readonly LoadedRun[], subsets: (Subset[] | string)[]): void {
    this.loaded = true;
    const flat = uniformPrior(this.setup.numClasses);
    for (const { spec, trainCounts } of this.methods) {
      const m = this.combine(spec.id, uniform, flat, trainCounts);
      this.uniform.set(spec.id, m.scalars);
    }
    runs.forEach((run, r) => {
      const sets = subsets[r];
      for (const spec of run.methods) {
        const parts = sweep.map((s) => s.find((p) => p.method === spec.id));
        const error = typeof sets === 'string' ? sets : parts.find((p) => p?.error)?.error;
        if (error !== undefined || typeof sets !== 'object') {
          this.sweep.set(spec.id, { error: error ?? 'no sweep' });
          continue;
        }
        this.sweep.set(spec.id, {
          points: sets.map((s, i) => {
            let correct = 0;
            let count = 0;
            for (const p of parts) {
              correct += p?.points?.[i]?.correct ?? 0;
              count += p?.points?.[i]?.count ?? 0;
            }
            const [direction, ratio] = sweepSettings()[i] ?? ['uniform', 1];
            return { name: s.name, direction, ratio, accuracy: correct / count };
          }),
        });
      }
    });
    this.next();
    this.onUpdate();
  }

  private answer(w: number, id: number, parts: readonly MethodPart[]): void {
    const flight = this.inFlight;
    if (!flight || flight.id !== id) return;
    flight.answers[w] = parts;
    if (flight.answers.some((a) => a === undefined)) return;
    const answers = flight.answers as (readonly MethodPart[])[];
    const results = new Map<string, MethodResult>();
    for (const { spec, trainCounts } of this.methods) results.set(spec.id, this.combine(spec.id, answers, flight.target, trainCounts));
    this.latest = { id, results };
    this.next();
    this.onUpdate();
  }

  /** One method's answer from every worker's part: merged (or the last merge, if no part changed) and summarised. */
  private combine(method: string, answers: readonly (readonly MethodPart[])[], target: ArrayLike<number>, trainCounts: Float64Array): MethodResult {
    // Every worker's part is taken in before any verdict: "unchanged" must always refer to what it last sent.
    const parts: ClassSums[] = [];
    let error: string | undefined;
    for (let w = 0; w < answers.length; w++) {
      const p = answers[w]?.find((x) => x.method === method);
      const last = this.lastParts[w] as Map<string, ClassSums>;
      if (!p) {
        error ??= 'no answer from a what-if worker';
        continue;
      }
      if ('error' in p) {
        last.delete(method);
        error ??= p.error;
        continue;
      }
      if ('sums' in p) last.set(method, p.sums);
      const sums = last.get(method);
      if (sums) parts.push(sums);
      else error ??= 'a what-if worker answered "unchanged" without an earlier answer';
    }
    if (error !== undefined) return { method, error };
    const before = this.merged.get(method);
    const same = before !== undefined && before.parts.length === parts.length && before.parts.every((p, i) => p === parts[i]);
    const sums = same ? before.sums : parts.length === 1 ? (parts[0] as ClassSums) : mergeClassSums(parts);
    if (!same) this.merged.set(method, { parts, sums });
    try {
      const m = summarizeClassSums(sums, target, trainCounts, this.setup.thresholds);
      return { method, scalars: scalarsOf(m), perClassRecall: m.perClassRecall, reliability: m.reliability, cells: sums.cells };
    } catch (err) {
      return { method, error: (err as Error).message };
    }
  }
}
