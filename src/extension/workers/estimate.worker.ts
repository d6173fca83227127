// Worker thread (bundled to dist/estimate.worker.js) that runs a run's model over unlabelled images and
// estimates their class prior, so inference and the bootstrap never block the extension host. The host
// cancels by terminating the thread: estimatePrior is synchronous and could not see a message anyway.
import { parentPort } from 'node:worker_threads';
import { EstimateInputError } from '../../core/estimate';
import { argmaxRows } from '../../core/estimate/bbse';
import { estimateFromRun, type RunEstimate } from '../../core/estimate/fromRun';
import { checkMessage } from '../../core/message';
import { EstimateHostMessageSchema, type EstimateJob, type EstimateWorkerMessage, type PriorEstimate } from '../../protocol/estimateWorker';

const port = parentPort;
if (!port) throw new Error('estimate.worker must run in a worker thread');
const send = (m: EstimateWorkerMessage): void => port.postMessage(m);
let started = false;

const unit = (x: number): number => Math.min(1, Math.max(0, x));

function accuracy(logits: Float32Array, labels: ArrayLike<number>, C: number): number {
  const pred = argmaxRows(logits, C);
  let right = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) right++;
  return pred.length > 0 ? right / pred.length : 0;
}

function summary(job: EstimateJob, e: RunEstimate): PriorEstimate {
  const { result, run } = e;
  const iv = result.intervals;
  return {
    runDir: job.runDir,
    folder: job.folder,
    method: job.method,
    calibrationSplit: job.split,
    calibrationImages: run.labels.length,
    calibrationAccuracy: accuracy(run.logits, run.labels, run.record.classes.length),
    backend: e.backend?.name ?? 'none (logits file)',
    images: e.images,
    skipped: e.skipped,
    classes: run.record.classes,
    trainPrior: run.record.sourcePrior,
    prior: Array.from(result.prior),
    intervals: iv ? { level: iv.level, resamples: iv.resamples, lo: Array.from(iv.lo, unit), hi: Array.from(iv.hi, unit) } : null,
    warnings: result.warnings,
    shiftViolated: result.shiftCheck.violated,
  };
}

port.on('message', (raw: unknown) => {
  let job: EstimateJob;
  try {
    job = checkMessage(EstimateHostMessageSchema, raw, 'estimate worker (from host)').job;
  } catch (err) {
    send({ type: 'error', message: (err as Error).message, input: false });
    return;
  }
  if (started) {
    send({ type: 'error', message: 'This worker is already estimating; start another worker for another estimate.', input: false });
    return;
  }
  started = true;
  estimateFromRun({ ...job, onProgress: (progress) => send({ type: 'progress', progress }) }).then(
    (estimate) => send({ type: 'result', estimate: summary(job, estimate) }),
    (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err), input: err instanceof EstimateInputError }),
  );
});
