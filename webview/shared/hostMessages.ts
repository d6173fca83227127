// The webview's side of a channel: every message from the host is checked against the channel's schema
// before the page trusts it; a malformed one is reported in the webview's console (naming the message
// type and the field) and the page keeps what it shows.
import type * as v from 'valibot';
import { checkMessage } from '../../src/core/message';

export function onHostMessage<T>(schema: v.GenericSchema<unknown, T>, channel: string, handle: (m: T) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    let m: T;
    try {
      m = checkMessage(schema, event.data, channel);
    } catch (err) {
      console.warn(`Ignored a message: ${(err as Error).message}`);
      return;
    }
    handle(m);
  });
}
