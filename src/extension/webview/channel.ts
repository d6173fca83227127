// The one way a panel or view host talks to its webview. Messages that arrive are checked against the
// channel's schema (an invalid one is logged, naming the message type and the field, and dropped). The host
// never posts before the webview said 'ready': until then nothing goes out, and on 'ready' (first load, or a
// webview reloaded after being hidden) it sends the latest full state, so a webview never misses it.
import type * as v from 'valibot';
import { checkMessage } from '../../core/message';

/** What the channel needs of a vscode.Webview (tests pass a plain object). */
export interface WebviewEndpoint {
  postMessage(message: unknown): Thenable<boolean>;
  onDidReceiveMessage(listener: (raw: unknown) => void): { dispose(): void };
}

export interface ChannelOptions<In extends { readonly type: string }, Out> {
  /** Names the webview in warnings: "metrics panel", "prior editor"… */
  readonly channel: string;
  readonly schema: v.GenericSchema<unknown, In>;
  /** The messages that bring a freshly loaded webview up to date, computed when it says 'ready'. */
  readonly fullState: () => readonly Out[];
  /** Every valid message, 'ready' included (after the full state went out). */
  readonly onMessage: (m: In) => void;
  readonly warn: (text: string) => void;
}

export class WebviewChannel<In extends { readonly type: string }, Out> {
  private webview: WebviewEndpoint | undefined;
  private ready = false;
  private readonly readyWaiters: (() => void)[] = [];

  constructor(private readonly options: ChannelOptions<In, Out>) {}

  /** Starts listening to a (new) webview; it is not ready until it says so. */
  attach(webview: WebviewEndpoint): { dispose(): void } {
    this.webview = webview;
    this.ready = false;
    const listener = webview.onDidReceiveMessage((raw) => this.receive(webview, raw));
    return {
      dispose: () => {
        listener.dispose();
        if (this.webview === webview) this.detach();
      },
    };
  }

  /** The webview is gone (view hidden or panel closed). */
  detach(): void {
    this.webview = undefined;
    this.ready = false;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Posts to a ready webview; before 'ready' the message is dropped: the full state will carry it. */
  post(m: Out): void {
    if (this.ready) void this.webview?.postMessage(m);
  }

  /** Sends the latest full state now if the webview is ready (otherwise it goes out on 'ready'). */
  refresh(): void {
    if (this.ready) for (const m of this.options.fullState()) this.post(m);
  }

  /**
   * Resolves true once the webview has said 'ready', false after `timeoutMs`. Callers that open another
   * webview next wait for it: code-server serves all webviews from one origin, and two loading at once
   * can leave one blank (its service worker never takes control).
   */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private receive(from: WebviewEndpoint, raw: unknown): void {
    if (from !== this.webview) return;
    let m: In;
    try {
      m = checkMessage(this.options.schema, raw, this.options.channel);
    } catch (err) {
      this.options.warn(`Ignored a message: ${(err as Error).message}`);
      return;
    }
    if (m.type === 'ready') {
      this.ready = true;
      for (const wake of this.readyWaiters.splice(0)) wake();
      this.refresh();
    }
    this.options.onMessage(m);
  }
}
