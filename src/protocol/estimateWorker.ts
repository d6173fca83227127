// Messages between the extension host and the prior-estimate worker thread
// (src/extension/workers/estimate.worker.ts). Both sides check what arrives before trusting it.
import { MAX_CLASSES, numberList } from './priorEditor';
import { BACKENDS, type BackendSetting } from '../core/runs/config';
import { booleanField, isRecord, MessageError, messageFields, numberField, oneOf, SPLIT_NAME, stringField, type Fields } from './validate';

export const ESTIMATE_METHODS = ['em-bcts', 'em', 'bbse'] as const;
export type EstimateMethodName = (typeof ESTIMATE_METHODS)[number];

/** In order: decode and infer alternate batch by batch, then the estimator's own phases. */
export const ESTIMATE_PHASES = ['decode', 'infer', 'calibrate', 'estimate', 'bootstrap'] as const;
export type EstimatePhase = (typeof ESTIMATE_PHASES)[number];


export interface EstimateJob {
  /** The run folder (.lade/runs/<name>) with run.json, model/ and the calibration split's cached logits. */
  readonly runDir: string;
  /** The run's labelled split to calibrate on (its logits-<split>.bin and labels-<split>.bin). */
  readonly split: string;
  /** Folder of unlabelled images, searched recursively for PNG and JPEG files. */
  readonly folder: string;
  readonly method: EstimateMethodName;
  readonly backend: BackendSetting;
  /** Bootstrap resamples for the 95% intervals; 0 for none. */
  readonly bootstrap: number;
  readonly seed: number;
}

export interface EstimateWorkerProgress {
  readonly phase: EstimatePhase;
  readonly done: number;
  readonly total: number;
}

/** What the command returns and hands to the prior editor: plain lists, aligned with `classes`. */
export interface PriorEstimate {
  readonly runDir: string;
  readonly folder: string;
  readonly method: EstimateMethodName;
  /** The labelled split the estimate was calibrated on, and its number of images. */
  readonly calibrationSplit: string;
  readonly calibrationImages: number;
  /** The TF.js backend the model ran on. */
  readonly backend: string;
  /** Images that went into the estimate. */
  readonly images: number;
  /** Files that could not be decoded, with the reason. */
  readonly skipped: readonly string[];
  readonly classes: readonly string[];
  /** The run's training prior p_s. */
  readonly trainPrior: readonly number[];
  /** The estimated deployment prior, sums to 1. */
  readonly prior: readonly number[];
  readonly intervals: { readonly level: number; readonly resamples: number; readonly lo: readonly number[]; readonly hi: readonly number[] } | null;
  /** Small deployment set, label-shift assumption looks violated, calibration or EM did not converge… */
  readonly warnings: readonly string[];
  readonly shiftViolated: boolean;
}

export type EstimateHostMessage = { readonly type: 'start'; readonly job: EstimateJob };

export type EstimateWorkerMessage =
  | { readonly type: 'progress'; readonly progress: EstimateWorkerProgress }
  | { readonly type: 'result'; readonly estimate: PriorEstimate }
  /** input: the run, the folder or the images cannot be used (the user can fix it); otherwise a failure. */
  | { readonly type: 'error'; readonly message: string; readonly input: boolean };

const TO_WORKER = 'estimate worker (from host)';
const FROM_WORKER = 'estimate worker';

function record(fields: Fields, key: string, channel: string): Fields {
  const v = fields[key];
  if (!isRecord(v)) throw new MessageError(`${channel}: field '${key}' must be an object`);
  return v;
}

function count(fields: Fields, key: string, channel: string): number {
  const v = numberField(fields, key, channel);
  if (!Number.isInteger(v) || v < 0) throw new MessageError(`${channel}: field '${key}' must be a whole number >= 0`);
  return v;
}

function stringList(fields: Fields, key: string, channel: string, max = MAX_CLASSES): string[] {
  const v = fields[key];
  if (!Array.isArray(v) || v.length > max) throw new MessageError(`${channel}: field '${key}' must be a list of at most ${max} strings`);
  v.forEach((x: unknown, i) => {
    if (typeof x !== 'string') throw new MessageError(`${channel}: ${key}[${i}] must be a string`);
  });
  return v as string[];
}

/** A number list with one entry per class. */
function perClass(fields: Fields, key: string, C: number, channel: string): number[] {
  const v = numberList(fields, key, channel);
  if (v.length !== C) throw new MessageError(`${channel}: field '${key}' has ${v.length} entries for ${C} classes`);
  return v;
}

function splitName(fields: Fields, key: string, channel: string): string {
  const v = stringField(fields, key, channel, 64);
  if (!SPLIT_NAME.test(v)) throw new MessageError(`${channel}: field '${key}' must be a split name (letters, digits, _ and -)`);
  return v;
}

export function parseEstimateJob(raw: unknown, channel: string): EstimateJob {
  if (!isRecord(raw)) throw new MessageError(`${channel}: field 'job' must be an object`);
  return {
    runDir: stringField(raw, 'runDir', channel),
    split: splitName(raw, 'split', channel),
    folder: stringField(raw, 'folder', channel),
    method: oneOf(raw, 'method', ESTIMATE_METHODS, channel),
    backend: oneOf(raw, 'backend', BACKENDS, channel),
    bootstrap: count(raw, 'bootstrap', channel),
    seed: count(raw, 'seed', channel),
  };
}

/** The worker's check of what the host sent. */
export function parseEstimateHostMessage(raw: unknown): EstimateHostMessage {
  const m = messageFields(raw, TO_WORKER);
  if (m.type !== 'start') throw new MessageError(`${TO_WORKER}: unknown message type '${m.type.slice(0, 64)}'`);
  return { type: 'start', job: parseEstimateJob(m.job, TO_WORKER) };
}

function parseEstimate(raw: Fields): PriorEstimate {
  const c = FROM_WORKER;
  const classes = stringList(raw, 'classes', c);
  const C = classes.length;
  if (C === 0) throw new MessageError(`${c}: estimate has no classes`);
  let intervals: PriorEstimate['intervals'] = null;
  if (raw.intervals !== null) {
    const iv = record(raw, 'intervals', c);
    const lo = perClass(iv, 'lo', C, c);
    const hi = perClass(iv, 'hi', C, c);
    const bad = lo.findIndex((l, k) => l > (hi[k] ?? 0) || (hi[k] ?? 0) > 1);
    if (bad >= 0) throw new MessageError(`${c}: interval of class '${classes[bad]}' is not 0 <= lo <= hi <= 1`);
    intervals = { level: numberField(iv, 'level', c), resamples: count(iv, 'resamples', c), lo, hi };
  }
  return {
    runDir: stringField(raw, 'runDir', c),
    folder: stringField(raw, 'folder', c),
    method: oneOf(raw, 'method', ESTIMATE_METHODS, c),
    calibrationSplit: splitName(raw, 'calibrationSplit', c),
    calibrationImages: count(raw, 'calibrationImages', c),
    backend: stringField(raw, 'backend', c, 64),
    images: count(raw, 'images', c),
    skipped: stringList(raw, 'skipped', c, Number.MAX_SAFE_INTEGER),
    classes,
    trainPrior: perClass(raw, 'trainPrior', C, c),
    prior: perClass(raw, 'prior', C, c),
    intervals,
    warnings: stringList(raw, 'warnings', c, 1000),
    shiftViolated: booleanField(raw, 'shiftViolated', c),
  };
}

function parseProgress(raw: Fields): EstimateWorkerProgress {
  const c = FROM_WORKER;
  const progress = { phase: oneOf(raw, 'phase', ESTIMATE_PHASES, c), done: count(raw, 'done', c), total: count(raw, 'total', c) };
  if (progress.done > progress.total) throw new MessageError(`${c}: progress done ${progress.done} > total ${progress.total}`);
  return progress;
}

/** The host's check of what the worker sent: the worker is our code, but a crash can still send garbage. */
export function parseEstimateWorkerMessage(raw: unknown): EstimateWorkerMessage {
  const m = messageFields(raw, FROM_WORKER);
  switch (m.type) {
    case 'progress':
      return { type: 'progress', progress: parseProgress(record(m, 'progress', FROM_WORKER)) };
    case 'result':
      return { type: 'result', estimate: parseEstimate(record(m, 'estimate', FROM_WORKER)) };
    case 'error':
      return { type: 'error', message: stringField(m, 'message', FROM_WORKER, 100_000), input: booleanField(m, 'input', FROM_WORKER) };
    default:
      throw new MessageError(`${FROM_WORKER}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
