// Web worker: holds a share of the rows of every selected run in the core's what-if evaluator and answers
// "class sums under this prior" for every method. The page runs one worker per core, each with its own
// rows, so one prior change is one pass over the logits split across the cores. A method whose bias does
// not move with the prior (plain Softmax) is answered from the evaluator's kept scan, and said to be
// unchanged rather than sent again.
import { classSumsBuffers, copyClassSums, correctRows, WhatIfEvaluator, type ClassSums } from '../../src/core/metrics';
import { priorBias, uniformPrior } from '../../src/core/priors';
import { checkMessage } from '../../src/core/message';
import { ToWorkerSchema, type FromWorker, type MethodPart, type MethodSpec, type RunSlice, type SweepPart, type ToWorker } from '../../src/protocol/whatifWorker';

interface Run {
  readonly evaluator: WhatIfEvaluator;
  readonly slice: RunSlice;
}

let runs: Run[] = [];
/** The sums each method last sent, so an unchanged answer is not sent twice. */
const lastSent = new Map<string, ClassSums>();

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

function part(run: Run, method: MethodSpec, target: ArrayLike<number>, transfer: Transferable[]): MethodPart {
  try {
    const sums = run.evaluator.classSums(priorBias(method.kind, run.slice.trainCounts, target));
    if (lastSent.get(method.id) === sums) return { method: method.id, unchanged: true };
    lastSent.set(method.id, sums);
    // A copy goes out: the evaluator keeps the original for the next prior with the same bias.
    const copy = copyClassSums(sums);
    transfer.push(...classSumsBuffers(copy));
    return { method: method.id, sums: copy };
  } catch (err) {
    lastSent.delete(method.id);
    return { method: method.id, error: (err as Error).message };
  }
}

function parts(target: ArrayLike<number>, transfer: Transferable[]): MethodPart[] {
  return runs.flatMap((run) => run.slice.methods.map((method) => part(run, method, target, transfer)));
}

function sweep(run: Run, method: MethodSpec): SweepPart {
  const slices = run.slice.sweep;
  if (!slices) return { method: method.id, error: 'no sweep' };
  try {
    return {
      method: method.id,
      points: slices.map((s) => {
        const rows = new Int32Array(s.rows);
        if (rows.length === 0) return { correct: 0, count: 0 }; // none of this subset's rows are here
        const sums = run.evaluator.classSums(priorBias(method.kind, run.slice.trainCounts, s.targetPrior), rows);
        return { correct: correctRows(sums), count: sums.numSamples };
      }),
    };
  } catch (err) {
    return { method: method.id, error: (err as Error).message };
  }
}

function load(m: Extract<ToWorker, { type: 'load' }>): void {
  lastSent.clear();
  runs = m.runs.map((slice) => ({
    slice,
    evaluator: new WhatIfEvaluator({ logits: new Float32Array(slice.logits), labels: new Int32Array(slice.labels), numClasses: m.numClasses }, { trainCounts: slice.trainCounts }),
  }));
  const transfer: Transferable[] = [];
  const uniform = parts(uniformPrior(m.numClasses), transfer);
  post({ type: 'loaded', engine: runs[0]?.evaluator.engine ?? 'js', uniform, sweep: runs.flatMap((run) => run.slice.methods.map((method) => sweep(run, method))) }, transfer);
}

self.onmessage = (event: MessageEvent<unknown>) => {
  try {
    const m = checkMessage(ToWorkerSchema, event.data, 'what-if worker (from the page)');
    if (m.type === 'load') {
      load(m);
      return;
    }
    const transfer: Transferable[] = [];
    const answer = parts(m.target, transfer);
    post({ type: 'result', id: m.id, parts: answer }, transfer);
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
