// run.json, version 2 (docs/run-format.md), as a valibot schema; the types are inferred from it. Version 1
// files (before `loss` and `origin`) are read through RunRecordV1Schema and upgraded by the reader.
import * as v from 'valibot';
import { TrainConfigSchema, type TrainConfig } from './config';
import { finite, oneOf, SPLIT_NAME, text, wholeNumber } from './fields';
import { LOSS_KINDS } from './lossKind';
import { RunOriginSchema } from './origin';

export const RUN_STATUSES = ['completed', 'cancelled', 'failed', 'running'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const list = <T extends v.GenericSchema>(item: T, rule: string) => v.pipe(v.array(item, rule), v.readonly());

export const EpochRecordSchema = v.pipe(
  v.object({
    epoch: wholeNumber(1),
    loss: v.number('must be a number'),
    trainAccuracy: v.number('must be a number'),
    /** Plain argmax accuracy on the validation split, or null without one. */
    valAccuracy: v.nullable(v.number('must be a number or null')),
    lr: v.number('must be a number'),
    seconds: v.number('must be a number'),
    imagesPerSec: v.number('must be a number'),
  }, 'must be an object'),
  v.readonly(),
);
export type EpochRecord = v.InferOutput<typeof EpochRecordSchema>;

const CLASSES_RULE = 'must be a non-empty list of class names';

/** The fields of every version. */
const COMMON = {
  name: text('must be the run name'),
  classes: v.pipe(v.array(text(CLASSES_RULE), CLASSES_RULE), v.minLength(1, CLASSES_RULE), v.readonly()),
  /** Training images per class actually used (after any validation hold-out), and counts / total. */
  trainCounts: list(wholeNumber(0, 'must list one whole number >= 0 per class'), 'must list one whole number >= 0 per class'),
  sourcePrior: list(finite('must list one probability per class'), 'must list one probability per class'),
  /** Splits with logits-<split>.bin (Float32 N x C) and labels-<split>.bin (Int32 N). */
  evalSplits: list(
    v.pipe(
      v.object(
        {
          name: v.pipe(text('must be a plain split name such as val or test'), v.regex(SPLIT_NAME, 'must be a plain split name such as val or test')),
          count: wholeNumber(0),
        },
        'must be an object with a name and a count',
      ),
      v.readonly(),
    ),
    'must be a list of splits',
  ),
  /** Plain argmax accuracy per evaluated split (percent); richer metrics come from `lade eval`. */
  finalAccuracy: v.pipe(v.record(v.string(), v.number('must map split names to percentages'), 'must map split names to percentages'), v.readonly()),
  /** The model's input; absent when there is no model (imported logits). */
  input: v.optional(
    v.pipe(
      // mean / std: one number, or one per channel (ONNX imports: ImageNet-style normalisation).
      v.object({ size: wholeNumber(1), channels: wholeNumber(1), mean: v.union([finite(), v.pipe(v.array(finite()), v.readonly())]), std: v.union([finite(), v.pipe(v.array(finite()), v.readonly())]) }, 'must be an object'),
      v.readonly(),
    ),
  ),
  /** Trained runs only: the backend that trained it and why it was chosen. */
  backend: v.optional(v.pipe(v.object({ name: text(), reason: text() }, 'must be an object'), v.readonly())),
  /** Trained runs only: one record per finished epoch. */
  history: v.optional(list(EpochRecordSchema, 'must be a list of epochs')),
  /** Milliseconds per phase (scanMs, decodeMs, trainMs, evalMs for TF.js runs). */
  timings: v.optional(v.pipe(v.record(v.string(), v.number('must map phases to milliseconds'), 'must map phases to milliseconds'), v.readonly())),
  startedAt: text('must be an ISO 8601 time'),
  finishedAt: v.optional(text('must be an ISO 8601 time')),
  /** The tail of stderr, for a failed run. */
  error: v.optional(text()),
};

/**
 * A trained run's settings as its engine wrote them. The TF.js engine writes a TrainConfig (the reader
 * checks it as one); the torch engine writes the same fields plus its own (model 'tv:<name>', tau,
 * manifests, finetune.weights), so only what every engine shares is checked here.
 */
export const EngineConfigSchema = v.pipe(
  v.looseObject(
    {
      dataDir: text('must be the dataset folder'),
      outDir: text('must be the run folder'),
      loss: oneOf(LOSS_KINDS),
    },
    'must be an object',
  ),
  v.readonly(),
);

export const RunRecordSchema = v.pipe(
  v.object(
    {
      version: v.literal(2, 'must be 2'),
      status: oneOf(RUN_STATUSES),
      /** How the model was trained. */
      loss: oneOf(LOSS_KINDS),
      origin: RunOriginSchema,
      ...COMMON,
      /** Trained runs only: the engine's settings as it wrote them. */
      config: v.optional(EngineConfigSchema),
    },
    'must be a JSON object',
  ),
  // Each per-class list holds exactly one entry per class.
  v.forward(
    v.check(
      (r) => r.trainCounts.length === r.classes.length,
      (issue) => `must list one whole number >= 0 per class (${(issue.input as { classes: readonly string[] }).classes.length})`,
    ),
    ['trainCounts'],
  ),
  v.forward(
    v.check(
      (r) => r.sourcePrior.length === r.classes.length,
      (issue) => `must list one probability per class (${(issue.input as { classes: readonly string[] }).classes.length})`,
    ),
    ['sourcePrior'],
  ),
  v.forward(
    v.check((r) => r.config === undefined || r.config.loss === r.loss, (issue) => `must be the run's loss (${(issue.input as { loss: string }).loss})`),
    ['config', 'loss'],
  ),
  v.forward(
    v.check((r) => r.status !== 'failed' || r.error !== undefined, 'must say why a failed run failed'),
    ['error'],
  ),
  v.forward(
    v.check((r) => r.origin.kind === 'trained' || (r.config === undefined && r.backend === undefined && r.history === undefined), 'is for trained runs only'),
    ['config'],
  ),
  v.readonly(),
);

export type RunRecord = v.InferOutput<typeof RunRecordSchema>;

/** What a TF.js training run records: everything a trained run may hold. */
export type TrainedRunRecord = RunRecord & {
  readonly config: TrainConfig;
  readonly backend: NonNullable<RunRecord['backend']>;
  readonly history: NonNullable<RunRecord['history']>;
  readonly input: NonNullable<RunRecord['input']>;
  readonly timings: NonNullable<RunRecord['timings']>;
};

/** Version 1: the loss lives in config.loss, the origin is implied, and runs were completed or cancelled. */
export const RunRecordV1Schema = v.object(
  {
    version: v.literal(1, 'must be 1'),
    status: oneOf(['completed', 'cancelled']),
    ...COMMON,
    config: TrainConfigSchema,
  },
  'must be a JSON object',
);
