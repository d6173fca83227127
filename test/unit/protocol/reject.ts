// The message a schema's rejection carries (and a failure when it accepts), for the protocol tests.
import type * as v from 'valibot';
import { expect } from 'vitest';
import { checkMessage, MessageError } from '../../../src/core/message';

export function rejection(schema: v.GenericSchema, raw: unknown): string {
  try {
    checkMessage(schema, raw, 'test channel');
  } catch (err) {
    expect(err).toBeInstanceOf(MessageError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}
