// The one webview-host channel every panel and view uses: nothing posted before 'ready', the latest full
// state on 'ready' (again after a reload), invalid messages logged by type and field and dropped.
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { WebviewChannel, type WebviewEndpoint } from '../../../../src/extension/webview/channel';

const InSchema = v.variant('type', [v.object({ type: v.literal('ready') }), v.object({ type: v.literal('pick'), name: v.string() })]);
type In = v.InferOutput<typeof InSchema>;
type Out = { type: 'setState'; n: number } | { type: 'ping' };

function fakeWebview() {
  const posted: unknown[] = [];
  let listener: ((raw: unknown) => void) | undefined;
  const webview: WebviewEndpoint = {
    postMessage: async (m) => {
      posted.push(m);
      return true;
    },
    onDidReceiveMessage: (l) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  return { webview, posted, send: (raw: unknown) => listener?.(raw) };
}

function channel(state: { n: number }) {
  const onMessage = vi.fn();
  const warn = vi.fn();
  const c = new WebviewChannel<In, Out>({ channel: 'test panel', schema: InSchema, fullState: () => [{ type: 'setState', n: state.n }], onMessage, warn });
  return { c, onMessage, warn };
}

describe('WebviewChannel', () => {
  it('posts nothing before ready, then the latest full state, then live messages', () => {
    const state = { n: 1 };
    const { c, onMessage } = channel(state);
    const w = fakeWebview();
    c.attach(w.webview);
    c.post({ type: 'ping' });
    state.n = 2;
    c.refresh();
    expect(w.posted).toEqual([]);
    expect(c.isReady).toBe(false);
    w.send({ type: 'ready' });
    expect(w.posted).toEqual([{ type: 'setState', n: 2 }]);
    expect(onMessage).toHaveBeenCalledWith({ type: 'ready' });
    c.post({ type: 'ping' });
    expect(w.posted.at(-1)).toEqual({ type: 'ping' });
  });

  it('a reloaded webview (attached again) waits for its own ready and gets the state again', () => {
    const state = { n: 5 };
    const { c } = channel(state);
    const first = fakeWebview();
    c.attach(first.webview);
    first.send({ type: 'ready' });
    const second = fakeWebview();
    c.attach(second.webview);
    c.post({ type: 'ping' });
    first.send({ type: 'ready' }); // the old webview is no longer listened to
    expect(second.posted).toEqual([]);
    second.send({ type: 'ready' });
    expect(second.posted).toEqual([{ type: 'setState', n: 5 }]);
  });

  it('logs an invalid message by type and field, and does not hand it on', () => {
    const { c, onMessage, warn } = channel({ n: 0 });
    const w = fakeWebview();
    c.attach(w.webview);
    w.send({ type: 'pick', name: 3 });
    w.send('garbage');
    expect(onMessage).not.toHaveBeenCalled();
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      "Ignored a message: test panel: message 'pick', field 'name': Invalid type: Expected string but received 3",
      "Ignored a message: test panel: message '(not an object)': Invalid type: Expected Object but received \"garbage\"",
    ]);
    w.send({ type: 'pick', name: 'cat' });
    expect(onMessage).toHaveBeenCalledWith({ type: 'pick', name: 'cat' });
  });

  it('stops posting once its webview is disposed', () => {
    const { c } = channel({ n: 0 });
    const w = fakeWebview();
    const listener = c.attach(w.webview);
    w.send({ type: 'ready' });
    listener.dispose();
    c.post({ type: 'ping' });
    expect(w.posted).toEqual([{ type: 'setState', n: 0 }]);
    expect(c.isReady).toBe(false);
  });
});
