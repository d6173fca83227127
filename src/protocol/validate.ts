// Small checks for JSON the host reads outside the message channels (run.json, command arguments);
// messages themselves are checked against their schemas (src/core/message.ts).

/** A run's split names, as in its file names (logits-<split>.bin). */
export { SPLIT_NAME } from '../core/runs/fields';

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
