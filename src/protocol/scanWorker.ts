// Messages between the extension host and the scan worker thread (src/extension/workers/scan.worker.ts).
// The worker is our own code, but a crash can still send garbage: both sides check what arrives.
import * as v from 'valibot';
import { AnalyzeProgressSchema, AnalyzeResultSchema } from './analyze';
import { count, finite, list } from './fields';

const ScanJobSchema = v.object({
  root: v.string(),
  manifest: v.optional(v.string()),
  validate: v.boolean(),
  ignore: list(v.string()),
  manyThreshold: count,
  fewThreshold: count,
  beta: finite,
});
export type ScanJob = v.InferOutput<typeof ScanJobSchema>;

export const ScanHostMessageSchema = v.variant('type', [v.object({ type: v.literal('scan'), job: ScanJobSchema }), v.object({ type: v.literal('cancel') })]);
export type ScanHostMessage = v.InferOutput<typeof ScanHostMessageSchema>;

export const ScanWorkerMessageSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), progress: AnalyzeProgressSchema }),
  v.object({ type: v.literal('result'), result: AnalyzeResultSchema }),
  v.object({ type: v.literal('error'), message: v.string(), cancelled: v.boolean() }),
]);
export type ScanWorkerMessage = v.InferOutput<typeof ScanWorkerMessageSchema>;
