// Checks a message that crossed a thread or webview boundary against its valibot schema. Every side uses
// this one function, so a rejected message always reads the same: the channel, the message type and the
// field that was wrong. Pure TypeScript: the replica (core), the workers, the host and the webviews share it.
import * as v from 'valibot';

export class MessageError extends Error {
  override readonly name = 'MessageError';
}

function typeOf(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '(not an object)';
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? type.slice(0, 64) : '(no type)';
}

/** What is wrong with `raw`: the channel, the message type and the first failing field. */
function messageProblem(issues: readonly v.BaseIssue<unknown>[], raw: unknown, channel: string): string {
  const issue = issues[0];
  const field = issue ? (v.getDotPath(issue) ?? '') : '';
  return `${channel}: message '${typeOf(raw)}'${field ? `, field '${field}'` : ''}: ${issue?.message ?? 'invalid'}`;
}

/** The message as its schema's output type, or a MessageError naming the message type and the field. */
export function checkMessage<S extends v.GenericSchema>(schema: S, raw: unknown, channel: string): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  throw new MessageError(messageProblem(result.issues, raw, channel));
}
