// Small runtime checks for messages that cross a trust boundary (webview -> host, worker -> host).
// Every incoming message is `unknown` until one of these has accepted it.

export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

export type Fields = Readonly<Record<string, unknown>>;

/** A run's split names, as in its file names (logits-<split>.bin). */
export { SPLIT_NAME } from '../core/runs/fields';

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message as a record with a string `type`, or a MessageError naming what is wrong. */
export function messageFields(raw: unknown, channel: string): Fields & { type: string } {
  if (!isRecord(raw)) throw new MessageError(`${channel}: message is not an object`);
  if (typeof raw.type !== 'string') throw new MessageError(`${channel}: message has no string 'type'`);
  return raw as Fields & { type: string };
}

export function stringField(fields: Fields, key: string, channel: string, maxLength = 4096): string {
  const v = fields[key];
  if (typeof v !== 'string') throw new MessageError(`${channel}: field '${key}' must be a string`);
  if (v.length > maxLength) throw new MessageError(`${channel}: field '${key}' is longer than ${maxLength} characters`);
  return v;
}

export function numberField(fields: Fields, key: string, channel: string): number {
  const v = fields[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MessageError(`${channel}: field '${key}' must be a finite number`);
  return v;
}

export function booleanField(fields: Fields, key: string, channel: string): boolean {
  const v = fields[key];
  if (typeof v !== 'boolean') throw new MessageError(`${channel}: field '${key}' must be a boolean`);
  return v;
}

export function oneOf<T extends string>(fields: Fields, key: string, allowed: readonly T[], channel: string): T {
  const v = fields[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new MessageError(`${channel}: field '${key}' must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}
