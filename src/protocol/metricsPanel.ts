// The contract between the metrics panel's host (src/extension/metrics) and its webview (webview/metrics).
// The host pushes the selected runs with `setState` (names, classes, training counts and the URLs of their
// logits-<split>.bin / labels-<split>.bin, which the webview fetches as binary: never 50M floats as JSON),
// and the target prior from the editor with `setTarget` on every slider move.
import { isRecord, MessageError, messageFields, oneOf, stringField, type Fields } from './validate';
import { MAX_CLASSES, numberList, parseTargetPrior, type TargetPrior } from './priorEditor';

/** How a run was trained, which decides its post-compensation (docs/math.md, section 3). */
export type RunLossKind = 'lade' | 'ce' | 'bs';

export interface MetricsRun {
  readonly name: string;
  readonly lossKind: RunLossKind;
  readonly classes: readonly string[];
  readonly trainCounts: readonly number[];
  readonly split: string;
  readonly numSamples: number;
  /** webview URIs of logits-<split>.bin (Float32 N x C) and labels-<split>.bin (Int32 N). */
  readonly logitsUrl: string;
  readonly labelsUrl: string;
}

export interface RunChoice {
  readonly name: string;
  readonly lossKind: RunLossKind;
  readonly numClasses: number;
  readonly splits: readonly string[];
}

export interface ShotThresholdsSetting {
  readonly many: number;
  readonly few: number;
}

export type MetricsState =
  | { readonly status: 'empty'; readonly available: readonly RunChoice[]; readonly message: string }
  | { readonly status: 'error'; readonly available: readonly RunChoice[]; readonly error: string }
  | {
      readonly status: 'ready';
      readonly available: readonly RunChoice[];
      readonly runs: readonly MetricsRun[];
      readonly split: string;
      readonly shots: ShotThresholdsSetting;
      /** m of the shift protocol for the sweep (the evaluation split's largest class). */
      readonly perClassTestCount: number;
    };

/** Host -> webview. */
export type MetricsHostMessage =
  | { readonly type: 'setState'; readonly state: MetricsState }
  | { readonly type: 'setTarget'; readonly prior: TargetPrior };

/** Webview -> host. */
export type MetricsWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'selectRuns'; readonly names: readonly string[] }
  | { readonly type: 'selectSplit'; readonly split: string }
  | { readonly type: 'exportModel'; readonly run: string };

const WEBVIEW = 'metrics webview';
const HOST = 'metrics host';
const LOSS_KINDS = ['lade', 'ce', 'bs'] as const;

function stringList(fields: Fields, key: string, channel: string, max: number): string[] {
  const v = fields[key];
  if (!Array.isArray(v) || v.length > max || !v.every((s: unknown) => typeof s === 'string' && s.length <= 1024)) {
    throw new MessageError(`${channel}: field '${key}' must be a list of at most ${max} strings`);
  }
  return v as string[];
}

function positiveInteger(fields: Fields, key: string, channel: string, min = 1): number {
  const v = fields[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new MessageError(`${channel}: field '${key}' must be a whole number >= ${min}`);
  return v;
}

export function parseMetricsWebviewMessage(raw: unknown): MetricsWebviewMessage {
  const m = messageFields(raw, WEBVIEW);
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'selectRuns':
      return { type: 'selectRuns', names: stringList(m, 'names', WEBVIEW, 8) };
    case 'selectSplit':
      return { type: 'selectSplit', split: stringField(m, 'split', WEBVIEW, 64) };
    case 'exportModel':
      return { type: 'exportModel', run: stringField(m, 'run', WEBVIEW, 256) };
    default:
      throw new MessageError(`${WEBVIEW}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}

function runChoice(raw: unknown): RunChoice {
  if (!isRecord(raw)) throw new MessageError(`${HOST}: every available run must be an object`);
  return {
    name: stringField(raw, 'name', HOST, 256),
    lossKind: oneOf(raw, 'lossKind', LOSS_KINDS, HOST),
    numClasses: positiveInteger(raw, 'numClasses', HOST),
    splits: stringList(raw, 'splits', HOST, 16),
  };
}

function metricsRun(raw: unknown): MetricsRun {
  if (!isRecord(raw)) throw new MessageError(`${HOST}: every run must be an object`);
  const classes = stringList(raw, 'classes', HOST, MAX_CLASSES);
  const trainCounts = numberList(raw, 'trainCounts', HOST);
  if (classes.length === 0 || trainCounts.length !== classes.length) throw new MessageError(`${HOST}: a run needs one training count per class`);
  return {
    name: stringField(raw, 'name', HOST, 256),
    lossKind: oneOf(raw, 'lossKind', LOSS_KINDS, HOST),
    classes,
    trainCounts,
    split: stringField(raw, 'split', HOST, 64),
    numSamples: positiveInteger(raw, 'numSamples', HOST),
    logitsUrl: stringField(raw, 'logitsUrl', HOST),
    labelsUrl: stringField(raw, 'labelsUrl', HOST),
  };
}

function parseState(raw: unknown): MetricsState {
  if (!isRecord(raw)) throw new MessageError(`${HOST}: field 'state' must be an object`);
  if (!Array.isArray(raw.available)) throw new MessageError(`${HOST}: field 'available' must be a list`);
  const available = raw.available.map(runChoice);
  switch (raw.status) {
    case 'empty':
      return { status: 'empty', available, message: stringField(raw, 'message', HOST) };
    case 'error':
      return { status: 'error', available, error: stringField(raw, 'error', HOST) };
    case 'ready': {
      if (!Array.isArray(raw.runs) || raw.runs.length === 0 || raw.runs.length > 8) throw new MessageError(`${HOST}: field 'runs' must list 1 to 8 runs`);
      const runs = raw.runs.map(metricsRun);
      const classes = runs[0]?.classes ?? [];
      if (runs.some((r) => r.classes.length !== classes.length || r.classes.some((c, i) => c !== classes[i]))) {
        throw new MessageError(`${HOST}: the selected runs must have the same classes`);
      }
      if (!isRecord(raw.shots)) throw new MessageError(`${HOST}: field 'shots' must be an object`);
      return {
        status: 'ready',
        available,
        runs,
        split: stringField(raw, 'split', HOST, 64),
        shots: { many: positiveInteger(raw.shots, 'many', HOST, 0), few: positiveInteger(raw.shots, 'few', HOST, 0) },
        perClassTestCount: positiveInteger(raw, 'perClassTestCount', HOST),
      };
    }
    default:
      throw new MessageError(`${HOST}: state status must be empty, error or ready`);
  }
}

/** The webview's check of what the host sends. */
export function parseMetricsHostMessage(raw: unknown): MetricsHostMessage {
  const m = messageFields(raw, HOST);
  switch (m.type) {
    case 'setState':
      return { type: 'setState', state: parseState(m.state) };
    case 'setTarget':
      return { type: 'setTarget', prior: parseTargetPrior(m.prior, HOST) };
    default:
      throw new MessageError(`${HOST}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
