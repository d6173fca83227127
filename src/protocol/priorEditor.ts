// The contract between the prior editor view's host (src/extension/priors) and its webview (webview/priorEditor).
// The host pushes the whole state with `setState` after the webview said `ready`; a target prior chosen on
// the host side (a loaded file, an import, an estimate from unlabelled images) arrives with `applyPrior`.
// The webview owns live edits and reports each one with `targetChanged`, so a later setState never undoes them.
import * as v from 'valibot';
import { MAX_CLASSES, TargetPriorSchema } from '../core/priors/target';
import { list, Name } from './fields';

const PriorClassRowSchema = v.object({ name: v.pipe(v.string(), v.maxLength(1024)), trainCount: v.pipe(v.number(), v.integer(), v.minValue(0)) });
export type PriorClassRow = v.InferOutput<typeof PriorClassRowSchema>;

/** Whose classes the editor works on: the run open in the metrics panel, or an analysed dataset. */
export const PriorContextSchema = v.variant('kind', [
  v.object({ kind: v.literal('run'), runName: v.pipe(v.string(), v.maxLength(4096)) }),
  v.object({ kind: v.literal('dataset'), root: v.pipe(v.string(), v.maxLength(4096)) }),
]);
export type PriorContext = v.InferOutput<typeof PriorContextSchema>;

const SavedPriorSchema = v.variant('status', [
  v.object({ name: Name, status: v.literal('ok'), origin: v.pipe(v.string(), v.maxLength(4096)) }),
  v.object({ name: Name, status: v.literal('invalid'), error: v.pipe(v.string(), v.maxLength(4096)) }),
]);
export type SavedPrior = v.InferOutput<typeof SavedPriorSchema>;

const PriorNoticeSchema = v.object({ level: v.picklist(['info', 'error']), text: v.pipe(v.string(), v.maxLength(4096)) });
export type PriorNotice = v.InferOutput<typeof PriorNoticeSchema>;

const PriorEditorStateSchema = v.variant('status', [
  v.object({ status: v.literal('empty'), saved: list(SavedPriorSchema), notice: v.optional(PriorNoticeSchema) }),
  v.pipe(
    v.object({
      status: v.literal('ready'),
      context: PriorContextSchema,
      classes: list(PriorClassRowSchema, MAX_CLASSES, 1),
      target: TargetPriorSchema,
      /** m of the shift protocol for the forward/backward presets (the evaluation split's largest class). */
      perClassTestCount: v.pipe(v.number(), v.integer(), v.minValue(1)),
      saved: list(SavedPriorSchema),
      notice: v.optional(PriorNoticeSchema),
    }),
    v.forward(
      v.partialCheck([['classes'], ['target']], (s) => s.target.shares.length === s.classes.length, 'the target must have one share per class'),
      ['target'],
    ),
  ),
]);
export type PriorEditorState = v.InferOutput<typeof PriorEditorStateSchema>;

/** Host -> webview. */
export const PriorEditorHostMessageSchema = v.variant('type', [
  v.object({ type: v.literal('setState'), state: PriorEditorStateSchema }),
  v.object({ type: v.literal('applyPrior'), prior: TargetPriorSchema, notice: v.optional(PriorNoticeSchema) }),
]);
export type PriorEditorHostMessage = v.InferOutput<typeof PriorEditorHostMessageSchema>;

/** Webview -> host. */
export const PriorEditorWebviewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('targetChanged'), prior: TargetPriorSchema }),
  v.object({ type: v.literal('savePrior'), name: Name, prior: TargetPriorSchema }),
  v.object({ type: v.literal('loadPrior'), name: Name }),
  v.object({ type: v.literal('openPriorFile'), name: Name }),
  v.object({ type: v.literal('importFile') }),
  v.object({ type: v.literal('histogramFromFolder') }),
  v.object({ type: v.literal('useDataset') }),
]);
export type PriorEditorWebviewMessage = v.InferOutput<typeof PriorEditorWebviewMessageSchema>;
