// The contract between the prior editor view's host (src/extension/priors) and its webview (webview/priorEditor).
// The host pushes the whole state with `setState` after the webview said `ready`; a target prior chosen on
// the host side (a loaded file, an import, an estimate from unlabelled images) arrives with `applyPrior`.
// The webview owns live edits and reports each one with `targetChanged`, so a later setState never undoes them.
import { isRecord, MessageError, messageFields, oneOf, stringField, type Fields } from './validate';

/** Most classes a message may carry (iNaturalist 2018 has 8,142). */
export const MAX_CLASSES = 20_000;

export interface PriorClassRow {
  readonly name: string;
  readonly trainCount: number;
}

/** Whose classes the editor works on: the run open in the metrics panel, or an analysed dataset. */
export type PriorContext = { readonly kind: 'run'; readonly runName: string } | { readonly kind: 'dataset'; readonly root: string };

export interface TargetPrior {
  /** "uniform", "backward-10", a saved prior's name, "edited"… */
  readonly label: string;
  /** Normalised shares aligned with the classes. */
  readonly shares: readonly number[];
  /** Per-class [lower, upper] (e.g. 95% bootstrap interval of an estimate); null where unknown. */
  readonly intervals?: readonly (readonly [number, number] | null)[];
}

export type SavedPrior =
  | { readonly name: string; readonly status: 'ok'; readonly origin: string }
  | { readonly name: string; readonly status: 'invalid'; readonly error: string };

export interface PriorNotice {
  readonly level: 'info' | 'error';
  readonly text: string;
}

export type PriorEditorState =
  | { readonly status: 'empty'; readonly saved: readonly SavedPrior[]; readonly notice?: PriorNotice }
  | {
      readonly status: 'ready';
      readonly context: PriorContext;
      readonly classes: readonly PriorClassRow[];
      readonly target: TargetPrior;
      /** m of the shift protocol for the forward/backward presets (the evaluation split's largest class). */
      readonly perClassTestCount: number;
      readonly saved: readonly SavedPrior[];
      readonly notice?: PriorNotice;
    };

/** Host -> webview. */
export type PriorEditorHostMessage =
  | { readonly type: 'setState'; readonly state: PriorEditorState }
  | { readonly type: 'applyPrior'; readonly prior: TargetPrior; readonly notice?: PriorNotice };

/** Webview -> host. */
export type PriorEditorWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'targetChanged'; readonly prior: TargetPrior }
  | { readonly type: 'savePrior'; readonly name: string; readonly prior: TargetPrior }
  | { readonly type: 'loadPrior'; readonly name: string }
  | { readonly type: 'openPriorFile'; readonly name: string }
  | { readonly type: 'importFile' }
  | { readonly type: 'histogramFromFolder' }
  | { readonly type: 'useDataset' };

const WEBVIEW = 'prior editor webview';
const HOST = 'prior editor host';

export function numberList(fields: Fields, key: string, channel: string, max = MAX_CLASSES): number[] {
  const v = fields[key];
  if (!Array.isArray(v)) throw new MessageError(`${channel}: field '${key}' must be a list of numbers`);
  if (v.length > max) throw new MessageError(`${channel}: field '${key}' has more than ${max} entries`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new MessageError(`${channel}: ${key}[${i}] must be a finite number >= 0`);
  }
  return v as number[];
}

function intervalList(fields: Fields, channel: string, length: number): (readonly [number, number] | null)[] | undefined {
  const v = fields.intervals;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== length) throw new MessageError(`${channel}: field 'intervals' must be a list of ${length} entries`);
  return v.map((iv: unknown, i) => {
    if (iv === null) return null;
    if (!Array.isArray(iv) || iv.length !== 2 || !iv.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))) {
      throw new MessageError(`${channel}: intervals[${i}] must be [lower, upper] or null`);
    }
    return [iv[0] as number, iv[1] as number] as const;
  });
}

/** A target prior: a label and non-negative shares with a positive sum (normalised here). */
export function parseTargetPrior(raw: unknown, channel: string): TargetPrior {
  if (!isRecord(raw)) throw new MessageError(`${channel}: field 'prior' must be an object`);
  const label = stringField(raw, 'label', channel, 200);
  const shares = numberList(raw, 'shares', channel);
  const sum = shares.reduce((a, b) => a + b, 0);
  if (shares.length === 0 || !(sum > 0)) throw new MessageError(`${channel}: the prior's shares must have a positive sum`);
  const intervals = intervalList(raw, channel, shares.length);
  const normalised = shares.map((s) => s / sum);
  return intervals ? { label, shares: normalised, intervals } : { label, shares: normalised };
}

function notice(raw: unknown, channel: string): PriorNotice | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) throw new MessageError(`${channel}: field 'notice' must be an object`);
  return { level: oneOf(raw, 'level', ['info', 'error'] as const, channel), text: stringField(raw, 'text', channel) };
}

/** Accepts exactly the webview's messages; anything else is rejected with a MessageError. */
export function parsePriorEditorWebviewMessage(raw: unknown): PriorEditorWebviewMessage {
  const m = messageFields(raw, WEBVIEW);
  switch (m.type) {
    case 'ready':
    case 'importFile':
    case 'histogramFromFolder':
    case 'useDataset':
      return { type: m.type };
    case 'targetChanged':
      return { type: 'targetChanged', prior: parseTargetPrior(m.prior, WEBVIEW) };
    case 'savePrior':
      return { type: 'savePrior', name: stringField(m, 'name', WEBVIEW, 64), prior: parseTargetPrior(m.prior, WEBVIEW) };
    case 'loadPrior':
    case 'openPriorFile':
      return { type: m.type, name: stringField(m, 'name', WEBVIEW, 64) };
    default:
      throw new MessageError(`${WEBVIEW}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}

function savedList(raw: unknown): SavedPrior[] {
  if (!Array.isArray(raw)) throw new MessageError(`${HOST}: field 'saved' must be a list`);
  return raw.map((s: unknown) => {
    if (!isRecord(s)) throw new MessageError(`${HOST}: every saved prior must be an object`);
    const name = stringField(s, 'name', HOST, 64);
    return s.status === 'invalid'
      ? { name, status: 'invalid' as const, error: stringField(s, 'error', HOST) }
      : { name, status: 'ok' as const, origin: stringField(s, 'origin', HOST) };
  });
}

function parseState(raw: unknown): PriorEditorState {
  if (!isRecord(raw)) throw new MessageError(`${HOST}: field 'state' must be an object`);
  const saved = savedList(raw.saved);
  const n = notice(raw.notice, HOST);
  if (raw.status === 'empty') return n ? { status: 'empty', saved, notice: n } : { status: 'empty', saved };
  if (raw.status !== 'ready') throw new MessageError(`${HOST}: state status must be empty or ready`);
  const ctx = raw.context;
  if (!isRecord(ctx)) throw new MessageError(`${HOST}: field 'context' must be an object`);
  const context: PriorContext =
    ctx.kind === 'run' ? { kind: 'run', runName: stringField(ctx, 'runName', HOST) } : { kind: 'dataset', root: stringField(ctx, 'root', HOST) };
  if (!Array.isArray(raw.classes) || raw.classes.length === 0 || raw.classes.length > MAX_CLASSES) {
    throw new MessageError(`${HOST}: field 'classes' must be a list of 1 to ${MAX_CLASSES} classes`);
  }
  const classes = raw.classes.map((c: unknown): PriorClassRow => {
    if (!isRecord(c)) throw new MessageError(`${HOST}: every class must be an object`);
    const trainCount = c.trainCount;
    if (typeof trainCount !== 'number' || !Number.isInteger(trainCount) || trainCount < 0) throw new MessageError(`${HOST}: trainCount must be a whole number >= 0`);
    return { name: stringField(c, 'name', HOST, 1024), trainCount };
  });
  const target = parseTargetPrior(raw.target, HOST);
  if (target.shares.length !== classes.length) throw new MessageError(`${HOST}: the target has ${target.shares.length} shares for ${classes.length} classes`);
  const m = raw.perClassTestCount;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) throw new MessageError(`${HOST}: perClassTestCount must be a positive integer`);
  const state = { status: 'ready' as const, context, classes, target, perClassTestCount: m, saved };
  return n ? { ...state, notice: n } : state;
}

/** The webview's check of what the host sends (the host is trusted, but a malformed state must not half-render). */
export function parsePriorEditorHostMessage(raw: unknown): PriorEditorHostMessage {
  const m = messageFields(raw, HOST);
  switch (m.type) {
    case 'setState':
      return { type: 'setState', state: parseState(m.state) };
    case 'applyPrior': {
      const n = notice(m.notice, HOST);
      const prior = parseTargetPrior(m.prior, HOST);
      return n ? { type: 'applyPrior', prior, notice: n } : { type: 'applyPrior', prior };
    }
    default:
      throw new MessageError(`${HOST}: unknown message type '${m.type.slice(0, 64)}'`);
  }
}
