// Web worker: holds a run's cached logits in the core's what-if evaluator and answers "metrics under this
// prior" for each of the run's methods, one pass per method. Runs off the UI thread so sliders stay smooth.
import { shiftSweep, WhatIfEvaluator, type EvalMetrics } from '../../src/core/metrics';
import { priorBias, uniformPrior } from '../../src/core/priors';
import type { FromWorker, MethodResult, MethodSpec, Scalars, ToWorker } from './workerProtocol';

let evaluator: WhatIfEvaluator | null = null;
let methods: readonly MethodSpec[] = [];
let trainCounts: readonly number[] = [];

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

function scalars(m: EvalMetrics): Scalars {
  return { expectedAccuracy: m.expectedAccuracy, top1: m.top1, shots: m.shots, macroRecall: m.macroRecall, macroPrecision: m.macroPrecision, nll: m.nll, ece: m.ece };
}

function evaluate(method: MethodSpec, target: ArrayLike<number>): EvalMetrics {
  if (!evaluator) throw new Error('No logits loaded.');
  return evaluator.evaluate(priorBias(method.kind, trainCounts, target), { targetPrior: target });
}

function load(m: Extract<ToWorker, { type: 'load' }>): void {
  const labels = new Int32Array(m.labels);
  evaluator = new WhatIfEvaluator({ logits: new Float32Array(m.logits), labels, numClasses: m.numClasses }, { trainCounts: m.trainCounts, thresholds: m.thresholds });
  methods = m.methods;
  trainCounts = m.trainCounts;
  const uniform = uniformPrior(m.numClasses);
  const ev = evaluator;
  post({
    type: 'loaded',
    uniform: methods.map((method) => {
      try {
        return { method: method.id, scalars: scalars(evaluate(method, uniform)) };
      } catch {
        return { method: method.id };
      }
    }),
    sweep: methods.map((method) => {
      try {
        const rows = shiftSweep(ev, { labels, trainCounts, kind: method.kind, sourcePrior: trainCounts, perClassTestCount: m.perClassTestCount });
        return {
          method: method.id,
          points: rows.map((r) => {
            const [direction, ratio] = r.subset.name === 'uniform' ? (['uniform', 1] as const) : (r.subset.name.split('-') as ['forward' | 'backward', string]);
            return { name: r.subset.name, direction, ratio: Number(ratio), accuracy: r.metrics.top1 };
          }),
        };
      } catch (err) {
        return { method: method.id, error: (err as Error).message };
      }
    }),
  });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  try {
    if (m.type === 'load') {
      load(m);
      return;
    }
    const transfer: Transferable[] = [];
    const results = methods.map((method): MethodResult => {
      try {
        const r = evaluate(method, m.target);
        transfer.push(r.perClassRecall.buffer, r.confusion.buffer);
        return { method: method.id, scalars: scalars(r), perClassRecall: r.perClassRecall, reliability: r.reliability, confusion: r.confusion };
      } catch (err) {
        return { method: method.id, error: (err as Error).message };
      }
    });
    post({ type: 'result', id: m.id, results }, transfer);
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
