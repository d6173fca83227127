// The typed contract between a training worker and its host (extension, CLI): progress, logs, epochs and
// the finished run's record, as valibot schemas checked on arrival; src/protocol re-exports it.
import * as v from 'valibot';
import { TrainConfigSchema } from '../runs/config';
import { EpochRecordSchema, RunRecordSchema, type RunRecord, type TrainedRunRecord } from '../runs/record';

/** A number that may be NaN or infinite: a webview receives those as null (JSON), so null reads back as NaN. */
export const looseNumber = v.pipe(v.nullable(v.number()), v.transform((x) => x ?? Number.NaN));
const whole = v.pipe(v.number(), v.integer(), v.minValue(0));

const PhaseSchema = v.picklist(['scan', 'decode', 'train', 'evaluate']);
export type Phase = v.InferOutput<typeof PhaseSchema>;

export const TrainProgressSchema = v.object({
  phase: PhaseSchema,
  /** 1-based epoch; 0 before training starts. */
  epoch: whole,
  epochs: whole,
  /** Step within the phase (images decoded, batches trained, batches evaluated). */
  step: whole,
  steps: whole,
  /** Running means over the current epoch (NaN before the first batch). */
  loss: v.object({ total: looseNumber }),
  accuracy: looseNumber,
  lr: looseNumber,
  imagesPerSec: looseNumber,
  etaSec: looseNumber,
  backend: v.string(),
  /** Why that backend was chosen (also in the log and run.json). */
  backendReason: v.string(),
});
export type TrainProgress = v.InferOutput<typeof TrainProgressSchema>;

const isTrained = (r: RunRecord): r is TrainedRunRecord =>
  r.config !== undefined && 'model' in r.config && r.backend !== undefined && r.history !== undefined && r.input !== undefined && r.timings !== undefined;

export const HostToWorkerSchema = v.variant('type', [v.object({ type: v.literal('start'), config: TrainConfigSchema }), v.object({ type: v.literal('cancel') })]);
export type HostToWorker = v.InferOutput<typeof HostToWorkerSchema>;

const LogLevelSchema = v.picklist(['info', 'warn']);
export type LogLevel = v.InferOutput<typeof LogLevelSchema>;

export const WorkerToHostSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), progress: TrainProgressSchema }),
  v.object({ type: v.literal('log'), level: LogLevelSchema, message: v.string() }),
  v.object({ type: v.literal('epoch'), record: EpochRecordSchema }),
  v.object({ type: v.literal('result'), record: v.pipe(RunRecordSchema, v.guard(isTrained, 'must be a trained run record')) }),
  v.object({ type: v.literal('error'), message: v.string() }),
]);
export type WorkerToHost = v.InferOutput<typeof WorkerToHostSchema>;
