// Messages between the extension host and the logits-import worker thread
// (src/extension/workers/import.worker.ts). Both sides check what arrives before trusting it.
import * as v from 'valibot';
import { LOSS_KINDS } from '../core/runs/lossKind';
import { SPLIT_NAME } from '../core/runs/fields';

const ImportJobSchema = v.object({
  /** The run folder to write (.lade/runs/<name>); it must not exist yet. */
  runDir: v.string(),
  /** Class names in logit-column order (one per line, or a JSON array). */
  classes: v.string(),
  /** A counts file (JSON or CSV) or a dataset folder whose train split is counted. */
  trainCounts: v.string(),
  loss: v.picklist(LOSS_KINDS),
  splits: v.pipe(v.array(v.object({ name: v.pipe(v.string(), v.regex(SPLIT_NAME)), file: v.string() })), v.minLength(1)),
});
export type ImportJob = v.InferOutput<typeof ImportJobSchema>;

export const ImportHostMessageSchema = v.object({ type: v.literal('start'), job: ImportJobSchema });
export type ImportHostMessage = v.InferOutput<typeof ImportHostMessageSchema>;

const ImportedSchema = v.object({
  name: v.string(),
  numClasses: v.number(),
  splits: v.array(v.object({ name: v.string(), count: v.number(), accuracy: v.number() })),
});
/** What the command tells the user: the run, and each split's size and plain top-1 accuracy (%). */
export type ImportedRun = v.InferOutput<typeof ImportedSchema>;

export const ImportWorkerMessageSchema = v.variant('type', [
  /** A split is being read (index of splits.length). */
  v.object({ type: v.literal('progress'), split: v.string(), done: v.number(), total: v.number() }),
  v.object({ type: v.literal('result'), run: ImportedSchema }),
  /** input: the files cannot be used (the user can fix it); otherwise a failure. */
  v.object({ type: v.literal('error'), message: v.string(), input: v.boolean() }),
]);
export type ImportWorkerMessage = v.InferOutput<typeof ImportWorkerMessageSchema>;
