// The contract between the metrics panel's host (src/extension/metrics) and its webview (webview/metrics).
// The host pushes the selected runs with `setState` (names, classes, training counts and the URLs of their
// logits-<split>.bin / labels-<split>.bin, which the webview fetches as binary: never 50M floats as JSON),
// and the target prior from the editor with `setTarget` on every slider move.
import * as v from 'valibot';
import { MAX_CLASSES, TargetPriorSchema } from '../core/priors/target';
import { LOSS_KINDS } from '../core/runs/lossKind';
import { count, list, text } from './fields';

/** How a run was trained, which decides its post-compensation (docs/run-format.md). */
export const LossKindSchema = v.picklist(LOSS_KINDS);

const positive = v.pipe(v.number(), v.integer(), v.minValue(1));

const MetricsRunSchema = v.pipe(
  v.object({
    name: text(256),
    lossKind: LossKindSchema,
    classes: list(text(1024), MAX_CLASSES, 1),
    trainCounts: list(v.pipe(v.number(), v.finite(), v.minValue(0)), MAX_CLASSES),
    split: text(64),
    numSamples: positive,
    /** webview URIs of logits-<split>.bin (Float32 N x C) and labels-<split>.bin (Int32 N). */
    logitsUrl: text(),
    labelsUrl: text(),
  }),
  v.forward(
    v.partialCheck([['classes'], ['trainCounts']], (r) => r.trainCounts.length === r.classes.length, 'a run needs one training count per class'),
    ['trainCounts'],
  ),
);
export type MetricsRun = v.InferOutput<typeof MetricsRunSchema>;

const RunChoiceSchema = v.object({ name: text(256), lossKind: LossKindSchema, numClasses: positive, splits: list(text(1024), 16) });
export type RunChoice = v.InferOutput<typeof RunChoiceSchema>;

const ShotThresholdsSchema = v.object({ many: count, few: count });
export type ShotThresholdsSetting = v.InferOutput<typeof ShotThresholdsSchema>;

const sameClasses = (runs: readonly MetricsRun[]): boolean => {
  const classes = runs[0]?.classes ?? [];
  return runs.every((r) => r.classes.length === classes.length && r.classes.every((c, i) => c === classes[i]));
};

const MetricsStateSchema = v.variant('status', [
  v.object({ status: v.literal('empty'), available: list(RunChoiceSchema), message: text() }),
  v.object({ status: v.literal('error'), available: list(RunChoiceSchema), error: text() }),
  v.object({
    status: v.literal('ready'),
    available: list(RunChoiceSchema),
    runs: v.pipe(list(MetricsRunSchema, 8, 1), v.check(sameClasses, 'the selected runs must have the same classes')),
    split: text(64),
    shots: ShotThresholdsSchema,
    /** m of the shift protocol for the sweep (the evaluation split's largest class). */
    perClassTestCount: positive,
  }),
]);
export type MetricsState = v.InferOutput<typeof MetricsStateSchema>;

/** Host -> webview. */
export const MetricsHostMessageSchema = v.variant('type', [
  v.object({ type: v.literal('setState'), state: MetricsStateSchema }),
  v.object({ type: v.literal('setTarget'), prior: TargetPriorSchema }),
]);
export type MetricsHostMessage = v.InferOutput<typeof MetricsHostMessageSchema>;

/** Webview -> host. */
export const MetricsWebviewMessageSchema = v.variant('type', [
  v.object({ type: v.literal('ready') }),
  v.object({ type: v.literal('selectRuns'), names: list(text(1024), 8) }),
  v.object({ type: v.literal('selectSplit'), split: text(64) }),
  v.object({ type: v.literal('exportModel'), run: text(256) }),
]);
export type MetricsWebviewMessage = v.InferOutput<typeof MetricsWebviewMessageSchema>;
