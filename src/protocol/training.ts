// The typed contract between a training worker and its host (extension, CLI), and the run record that a
// finished run leaves in .lade/runs/<name>/run.json. Pure types plus guards: safe for every side.

export type LossKind = 'lade' | 'ce' | 'bs';
export type ModelKind = 'cnn' | 'resnet20';
export type OptimizerKind = 'sgd' | 'adam';
export type ScheduleKind = 'cosine' | 'step';
export type BackendSetting = 'auto' | 'wasm' | 'cpu' | 'webgpu' | 'tensorflow';

export interface TrainConfig {
  /** Dataset root: class folders, or train/ (val/, test/) folders of class folders. */
  readonly dataDir: string;
  /** The run folder (.lade/runs/<name>). */
  readonly outDir: string;
  readonly loss: LossKind;
  readonly model: ModelKind;
  /** ResNet base width (16 = ResNet-20 as published); the CNN ignores it. */
  readonly width: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerKind;
  /** Peak learning rate (after warm-up). */
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly schedule: ScheduleKind;
  readonly warmupEpochs: number;
  /** Input side in pixels (images are resized to size x size). */
  readonly size: number;
  /** 'auto' keeps grayscale datasets at one channel. */
  readonly channels: 'auto' | 1 | 3;
  readonly augment: boolean;
  readonly seed: number;
  /** LADE regularizer weight and its B^2 weight (docs/math.md, sections 2.2-2.3). */
  readonly alpha: number;
  readonly lambda: number;
  readonly backend: BackendSetting;
  /** Fraction of each class held out for validation when the dataset has no val/ split. */
  readonly valFraction: number;
  readonly resume: boolean;
  /**
   * Engines training in parallel: 2 runs a replica worker on the second core, each taking half of every
   * batch with gradients averaged every step (from-scratch models only).
   */
  readonly workers: 1 | 2;
  /** Start from a TF.js LayersModel (model.json) with a new C-way head. */
  readonly finetune?: { readonly modelJson: string; readonly freezeBackbone: boolean };
  /**
   * With finetune: run the frozen backbone once over the training images (no augmentation), cache the
   * penultimate features, and train only the new head on them (classifier retuning, e.g. LADE on a CE model).
   */
  readonly retuneHead?: boolean;
}

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, 'dataDir' | 'outDir'> = {
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
};

export type Phase = 'scan' | 'decode' | 'train' | 'evaluate';

export interface TrainProgress {
  readonly phase: Phase;
  /** 1-based epoch; 0 before training starts. */
  readonly epoch: number;
  readonly epochs: number;
  /** Step within the phase (images decoded, batches trained, batches evaluated). */
  readonly step: number;
  readonly steps: number;
  /** Running means over the current epoch. */
  readonly loss: { readonly total: number };
  readonly accuracy: number;
  readonly lr: number;
  readonly imagesPerSec: number;
  readonly etaSec: number;
  readonly backend: string;
  /** Why that backend was chosen (also in the log and run.json). */
  readonly backendReason: string;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly trainAccuracy: number;
  /** Plain argmax accuracy on the validation split, or null without one. */
  readonly valAccuracy: number | null;
  readonly lr: number;
  readonly seconds: number;
  readonly imagesPerSec: number;
}

export type RunStatus = 'completed' | 'cancelled';

export interface RunRecord {
  readonly version: 1;
  readonly name: string;
  readonly status: RunStatus;
  readonly config: TrainConfig;
  readonly classes: readonly string[];
  /** Training images per class actually used (after any validation hold-out), and counts / total. */
  readonly trainCounts: readonly number[];
  readonly sourcePrior: readonly number[];
  readonly backend: { readonly name: string; readonly reason: string };
  readonly input: { readonly size: number; readonly channels: number; readonly mean: number; readonly std: number };
  readonly timings: { readonly scanMs: number; readonly decodeMs: number; readonly trainMs: number; readonly evalMs: number };
  readonly history: readonly EpochRecord[];
  /** Splits with logits-<split>.bin (Float32 N x C) and labels-<split>.bin (Int32 N). */
  readonly evalSplits: readonly { readonly name: string; readonly count: number }[];
  /** Plain argmax accuracy per evaluated split (percent); richer metrics come from `lade eval`. */
  readonly finalAccuracy: Readonly<Record<string, number>>;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export type HostToWorker = { readonly type: 'start'; readonly config: TrainConfig } | { readonly type: 'cancel' };

export type LogLevel = 'info' | 'warn';

export type WorkerToHost =
  | { readonly type: 'progress'; readonly progress: TrainProgress }
  | { readonly type: 'log'; readonly level: LogLevel; readonly message: string }
  | { readonly type: 'epoch'; readonly record: EpochRecord }
  | { readonly type: 'result'; readonly record: RunRecord }
  | { readonly type: 'error'; readonly message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isHostToWorker(v: unknown): v is HostToWorker {
  return isObject(v) && (v.type === 'cancel' || (v.type === 'start' && isObject(v.config)));
}

export function isWorkerToHost(v: unknown): v is WorkerToHost {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'progress':
      return isObject(v.progress);
    case 'log':
      return typeof v.message === 'string';
    case 'epoch':
    case 'result':
      return isObject(v.record);
    case 'error':
      return typeof v.message === 'string';
    default:
      return false;
  }
}
