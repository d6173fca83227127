// How the TF.js engine trains a run: the configuration a host sends its training worker and that run.json
// keeps (trained runs). Fields added after the first release default when an older run.json lacks them.
import * as v from 'valibot';
import { finite, oneOf, text, wholeNumber } from './fields';
import { LOSS_KINDS } from './lossKind';

export const MODEL_KINDS = ['cnn', 'resnet20'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const OPTIMIZER_KINDS = ['sgd', 'adam'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];
export const SCHEDULE_KINDS = ['cosine', 'step'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
/** The TF.js backends a run may ask for; 'auto' picks the fastest that starts (see core/tf/backend.ts). */
export const BACKENDS = ['auto', 'wasm', 'cpu', 'webgpu', 'tensorflow'] as const;
export type BackendSetting = (typeof BACKENDS)[number];
export const CHANNEL_SETTINGS = ['auto', 1, 3] as const;

const DEFAULTS = {
  loss: 'lade',
  model: 'cnn',
  width: 16,
  epochs: 10,
  batchSize: 128,
  optimizer: 'sgd',
  lr: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
  schedule: 'cosine',
  warmupEpochs: 1,
  size: 32,
  channels: 'auto',
  augment: true,
  seed: 0,
  alpha: 0.1,
  lambda: 0.01,
  backend: 'auto',
  valFraction: 0.1,
  resume: false,
  workers: 1,
} as const;

const bool = (rule = 'must be true or false') => v.boolean(rule);

export const TrainConfigSchema = v.pipe(
  v.object({
    /** Dataset root: class folders, or train/ (val/, test/) folders of class folders. */
    dataDir: text('must be the dataset folder'),
    /** The run folder (.lade/runs/<name>). */
    outDir: text('must be the run folder'),
    loss: v.optional(oneOf(LOSS_KINDS), DEFAULTS.loss),
    model: v.optional(oneOf(MODEL_KINDS), DEFAULTS.model),
    /** ResNet base width (16 = ResNet-20 as published); the CNN ignores it. */
    width: v.optional(wholeNumber(1), DEFAULTS.width),
    epochs: v.optional(wholeNumber(1), DEFAULTS.epochs),
    batchSize: v.optional(wholeNumber(1), DEFAULTS.batchSize),
    optimizer: v.optional(oneOf(OPTIMIZER_KINDS), DEFAULTS.optimizer),
    /** Peak learning rate (after warm-up). */
    lr: v.optional(finite(), DEFAULTS.lr),
    momentum: v.optional(finite(), DEFAULTS.momentum),
    weightDecay: v.optional(finite(), DEFAULTS.weightDecay),
    schedule: v.optional(oneOf(SCHEDULE_KINDS), DEFAULTS.schedule),
    warmupEpochs: v.optional(finite(), DEFAULTS.warmupEpochs),
    /** Input side in pixels (images are resized to size x size). */
    size: v.optional(wholeNumber(1), DEFAULTS.size),
    /** 'auto' keeps grayscale datasets at one channel. */
    channels: v.optional(oneOf(CHANNEL_SETTINGS), DEFAULTS.channels),
    augment: v.optional(bool(), DEFAULTS.augment),
    seed: v.optional(wholeNumber(0), DEFAULTS.seed),
    /** LADE regularizer weight and its B^2 weight (docs/math). */
    alpha: v.optional(finite(), DEFAULTS.alpha),
    lambda: v.optional(finite(), DEFAULTS.lambda),
    backend: v.optional(oneOf(BACKENDS), DEFAULTS.backend),
    /** Fraction of each class held out for validation when the dataset has no val/ split. */
    valFraction: v.optional(finite(), DEFAULTS.valFraction),
    resume: v.optional(bool(), DEFAULTS.resume),
    /**
     * Engines training in parallel: 2 runs a replica worker on the second core, each taking half of every
     * batch with gradients averaged every step (from-scratch models only).
     */
    workers: v.optional(oneOf([1, 2]), DEFAULTS.workers),
    /** Start from a TF.js LayersModel (model.json) with a new C-way head. */
    finetune: v.optional(
      v.pipe(v.object({ modelJson: text('must be the path of a model.json'), freezeBackbone: bool() }, 'must be an object'), v.readonly()),
    ),
    /**
     * With finetune: run the frozen backbone once over the training images (no augmentation), cache the
     * penultimate features, and train only the new head on them (classifier retuning, e.g. LADE on a CE model).
     */
    retuneHead: v.optional(bool()),
  }, 'must be an object'),
  v.readonly(),
);

export type TrainConfig = v.InferOutput<typeof TrainConfigSchema>;

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, 'dataDir' | 'outDir'> = DEFAULTS;
