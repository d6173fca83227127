import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { checkMessage, MessageError } from '../../../src/core/message';

const Schema = v.variant('type', [v.object({ type: v.literal('move'), to: v.object({ x: v.number() }) })]);

describe('checkMessage', () => {
  it('returns the schema output for a good message', () => {
    expect(checkMessage(Schema, { type: 'move', to: { x: 1 }, extra: true }, 'c')).toEqual({ type: 'move', to: { x: 1 } });
  });

  it('names the channel, the message type and the nested field of a bad one', () => {
    expect(() => checkMessage(Schema, { type: 'move', to: { x: 'far' } }, 'test channel')).toThrow(MessageError);
    expect(() => checkMessage(Schema, { type: 'move', to: { x: 'far' } }, 'test channel')).toThrow("test channel: message 'move', field 'to.x': Invalid type: Expected number");
    expect(() => checkMessage(Schema, { type: 'x'.repeat(500) }, 'c')).toThrow(`message '${'x'.repeat(64)}', field 'type'`);
    expect(() => checkMessage(Schema, { to: {} }, 'c')).toThrow("message '(no type)', field 'type'");
  });
});
