// The contract between the "LADE Training" panel view and its host: the host pushes every run's state
// with one `setState`; the webview can only ask to cancel a running run or open a finished one's results.
import * as v from 'valibot';
import { list, text } from './fields';
import { LOSS_KINDS } from '../core/runs/lossKind';
import { looseNumber, TrainProgressSchema, type EpochRecord } from './training';

/** An epoch as the view receives it: JSON turned a diverged run's NaN into null, read back as NaN. */
const EpochRecordSchema: v.GenericSchema<unknown, EpochRecord> = v.object({
  epoch: v.number(),
  loss: looseNumber,
  trainAccuracy: looseNumber,
  valAccuracy: v.nullable(v.number()),
  lr: looseNumber,
  seconds: looseNumber,
  imagesPerSec: looseNumber,
});

const TrainingRunViewSchema = v.object({
  name: v.string(),
  loss: v.picklist(LOSS_KINDS),
  status: v.picklist(['running', 'completed', 'cancelled', 'failed']),
  backend: v.optional(v.object({ name: v.string(), reason: v.string() })),
  progress: v.optional(TrainProgressSchema),
  history: list(EpochRecordSchema),
  error: v.optional(v.string()),
});
export type TrainingRunView = v.InferOutput<typeof TrainingRunViewSchema>;

/** Most recent run first. */
const TrainingViewStateSchema = v.object({ runs: list(TrainingRunViewSchema) });
export type TrainingViewState = v.InferOutput<typeof TrainingViewStateSchema>;

export const TrainingViewHostMessageSchema = v.variant('type', [v.object({ type: v.literal('setState'), state: TrainingViewStateSchema })]);
export type TrainingViewHostMessage = v.InferOutput<typeof TrainingViewHostMessageSchema>;

export const TrainingViewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('cancel'), name: text(256) }),
  v.object({ type: v.literal('openResults'), name: text(256) }),
]);
export type TrainingViewMessage = v.InferOutput<typeof TrainingViewMessageSchema>;
