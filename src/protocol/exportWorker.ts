// Messages between the extension host and the export worker (src/extension/workers/export.worker.ts), which
// loads a run's TF.js model, folds the adjustment into its last bias and saves it, off the host thread.
import * as v from 'valibot';
import type { AdjustmentFile } from '../core/priors/adjustment';
import { BackendSettingSchema, finite, list, text } from './fields';
import { LossKindSchema } from './metricsPanel';

const AdjustmentFileSchema: v.GenericSchema<unknown, AdjustmentFile> = v.object({
  format: v.literal('lade-adjustment'),
  version: v.literal(1),
  run: v.string(),
  lossKind: LossKindSchema,
  prior: v.string(),
  formula: v.string(),
  neverPredict: finite,
  classes: list(v.string()),
  sourcePrior: list(finite),
  targetPrior: list(finite),
  bias: list(finite),
});

const ExportJobSchema = v.object({ modelJson: v.string(), outDir: v.string(), backend: BackendSettingSchema, adjustment: AdjustmentFileSchema });
export type ExportJob = v.InferOutput<typeof ExportJobSchema>;

export const ExportHostMessageSchema = v.variant('type', [v.object({ type: v.literal('export'), job: ExportJobSchema })]);
export type ExportHostMessage = v.InferOutput<typeof ExportHostMessageSchema>;

export const ExportWorkerMessageSchema = v.variant('type', [
  v.object({ type: v.literal('done'), backend: v.object({ name: text(64), reason: text() }) }),
  v.object({ type: v.literal('error'), message: text(16_384) }),
]);
export type ExportWorkerMessage = v.InferOutput<typeof ExportWorkerMessageSchema>;
