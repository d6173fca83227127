// Messages between the extension host and the prior-estimate worker thread
// (src/extension/workers/estimate.worker.ts). Both sides check what arrives before trusting it.
import * as v from 'valibot';
import { MAX_CLASSES } from '../core/priors/target';
import { BackendSettingSchema, count, finite, list, SplitName, text } from './fields';

export const ESTIMATE_METHODS = ['em-bcts', 'em', 'bbse'] as const;
const EstimateMethodSchema = v.picklist(ESTIMATE_METHODS);
export type EstimateMethodName = v.InferOutput<typeof EstimateMethodSchema>;

/** In order: decode and infer alternate batch by batch, then the estimator's own phases. */
export const ESTIMATE_PHASES = ['decode', 'infer', 'calibrate', 'estimate', 'bootstrap'] as const;

const EstimateJobSchema = v.object({
  /** The run folder (.lade/runs/<name>) with run.json, model/ and the calibration split's cached logits. */
  runDir: text(),
  /** The run's labelled split to calibrate on (its logits-<split>.bin and labels-<split>.bin). */
  split: SplitName,
  /** Folder of unlabelled images, searched recursively for PNG and JPEG files. */
  folder: text(),
  method: EstimateMethodSchema,
  backend: BackendSettingSchema,
  /** Bootstrap resamples for the 95% intervals; 0 for none. */
  bootstrap: count,
  seed: count,
});
export type EstimateJob = v.InferOutput<typeof EstimateJobSchema>;

const EstimateWorkerProgressSchema = v.pipe(
  v.object({ phase: v.picklist(ESTIMATE_PHASES), done: count, total: count }),
  v.check((p) => p.done <= p.total, 'progress done must not exceed total'),
);
export type EstimateWorkerProgress = v.InferOutput<typeof EstimateWorkerProgressSchema>;

const share = v.pipe(v.number(), v.finite(), v.minValue(0));
const shares = list(share, MAX_CLASSES);

const IntervalsSchema = v.pipe(
  v.object({ level: finite, resamples: count, lo: shares, hi: shares }),
  v.check((iv) => iv.lo.every((l, k) => l <= (iv.hi[k] ?? 0) && (iv.hi[k] ?? 0) <= 1), 'every interval must be 0 <= lo <= hi <= 1'),
);

/** What the command returns and hands to the prior editor: plain lists, aligned with `classes`. */
const PriorEstimateSchema = v.pipe(
  v.object({
    runDir: text(),
    folder: text(),
    method: EstimateMethodSchema,
    /** The labelled split the estimate was calibrated on, and its number of images. */
    calibrationSplit: SplitName,
    calibrationImages: count,
    /** Top-1 accuracy of the model on the calibration split (0..1): the estimate is only as good as this. */
    calibrationAccuracy: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
    /** The TF.js backend the model ran on. */
    backend: text(64),
    /** Images that went into the estimate. */
    images: count,
    /** Files that could not be decoded, with the reason. */
    skipped: list(v.string()),
    classes: list(v.string(), MAX_CLASSES, 1),
    /** The run's training prior p_s. */
    trainPrior: shares,
    /** The estimated deployment prior, sums to 1. */
    prior: shares,
    intervals: v.nullable(IntervalsSchema),
    /** Small deployment set, label-shift assumption looks violated, calibration or EM did not converge… */
    warnings: list(v.string(), 1000),
    shiftViolated: v.boolean(),
  }),
  v.check(
    (e) => [e.trainPrior, e.prior, ...(e.intervals ? [e.intervals.lo, e.intervals.hi] : [])].every((l) => l.length === e.classes.length),
    'every per-class list must have one entry per class',
  ),
);
export type PriorEstimate = v.InferOutput<typeof PriorEstimateSchema>;

export const EstimateHostMessageSchema = v.variant('type', [v.object({ type: v.literal('start'), job: EstimateJobSchema })]);
export type EstimateHostMessage = v.InferOutput<typeof EstimateHostMessageSchema>;

export const EstimateWorkerMessageSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), progress: EstimateWorkerProgressSchema }),
  v.object({ type: v.literal('result'), estimate: PriorEstimateSchema }),
  /** input: the run, the folder or the images cannot be used (the user can fix it); otherwise a failure. */
  v.object({ type: v.literal('error'), message: text(100_000), input: v.boolean() }),
]);
export type EstimateWorkerMessage = v.InferOutput<typeof EstimateWorkerMessageSchema>;
