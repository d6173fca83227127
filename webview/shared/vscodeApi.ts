// Typed wrapper around the webview's acquireVsCodeApi(): each panel states what it may send and persist.

interface VsCodeApi<Out, Persisted> {
  postMessage(message: Out): void;
  getState(): Persisted | undefined;
  setState(state: Persisted): void;
}

declare function acquireVsCodeApi<Out, Persisted>(): VsCodeApi<Out, Persisted>;

export function vscodeApi<Out, Persisted>(): VsCodeApi<Out, Persisted> {
  return acquireVsCodeApi<Out, Persisted>();
}
