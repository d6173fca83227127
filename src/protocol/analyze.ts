// The contract between the Analyze panel's host (src/extension/analyze) and its webview (webview/analyze).
// The host pushes the whole state with `setState` (never deltas) and only after the webview said `ready`.
import * as v from 'valibot';
import type { AnalyzeResult } from '../core/dataset/types';
import { count, finite, list, text } from './fields';

export const AnalyzeProgressSchema = v.object({ phase: v.picklist(['scan', 'validate', 'statistics']), filesSeen: count });
export type AnalyzeProgress = v.InferOutput<typeof AnalyzeProgressSchema>;

const names = list(v.string());
const WARNING_KINDS = [
  'empty-class',
  'single-image-class',
  'missing-in-split',
  'unreadable',
  'symlink-loop',
  'corrupt-image',
  'extension-mismatch',
  'duplicate',
  'missing-file',
  'unlabelled-files',
  'skipped-line',
] as const;

/** The scan result as core/dataset declares it; the annotation keeps the two from drifting apart. */
export const AnalyzeResultSchema: v.GenericSchema<unknown, AnalyzeResult> = v.object({
  root: v.string(),
  layout: v.picklist(['folder-per-class', 'split-list', 'csv-manifest']),
  primarySplit: v.nullable(v.string()),
  classes: list(
    v.object({ name: v.string(), count, share: finite, effectiveNumber: finite, shot: v.picklist(['many', 'medium', 'few', 'empty']) }),
  ),
  total: count,
  imbalanceRatio: finite,
  gini: finite,
  entropy: finite,
  effectiveNumber: finite,
  options: v.object({ manyThreshold: finite, fewThreshold: finite, beta: finite }),
  shots: v.object({ many: names, medium: names, few: names }),
  splits: list(v.object({ name: v.string(), total: count, counts: list(count) })),
  warnings: list(v.object({ kind: v.picklist(WARNING_KINDS), message: v.string(), classes: v.optional(names), path: v.optional(v.string()) })),
  validation: v.optional(
    v.object({ decoder: v.picklist(['sharp', 'signature']), checked: count, corrupt: count, extensionMismatches: count, duplicates: count, missing: count }),
  ),
  durationMs: finite,
});

/** Everything the panel shows; `status` makes loading and failure explicit so the view never spins forever. */
const AnalyzeStateSchema = v.variant('status', [
  v.object({ status: v.literal('loading'), root: v.string(), progress: v.optional(AnalyzeProgressSchema) }),
  v.object({ status: v.literal('ready'), root: v.string(), result: AnalyzeResultSchema }),
  v.object({ status: v.literal('error'), root: v.string(), error: v.string() }),
]);
export type AnalyzeState = v.InferOutput<typeof AnalyzeStateSchema>;

/** Host -> webview. */
export const AnalyzeHostMessageSchema = v.variant('type', [v.object({ type: v.literal('setState'), state: AnalyzeStateSchema })]);
export type AnalyzeHostMessage = v.InferOutput<typeof AnalyzeHostMessageSchema>;

/** Webview -> host. */
export const AnalyzeWebviewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('rescan') }),
  v.object({ type: v.literal('revealClass'), className: text(1024) }),
  v.object({ type: v.literal('export'), format: v.picklist(['json', 'csv']) }),
]);
export type AnalyzeWebviewMessage = v.InferOutput<typeof AnalyzeWebviewMessageSchema>;
