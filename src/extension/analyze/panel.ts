// The Analyze Label Distribution webview panel: one per dataset folder, state pushed after the ready handshake.
import * as vscode from 'vscode';
import type { AnalyzeResult } from '../../core/dataset/types';
import { type AnalyzeHostMessage, type AnalyzeState, parseAnalyzeWebviewMessage, type AnalyzeWebviewMessage } from '../../protocol/analyze';
import { outputChannel } from '../log';
import { webviewHtml, webviewOptions } from '../webview/html';

export class AnalyzePanel {
  private static readonly panels = new Map<string, AnalyzePanel>();
  private ready = false;
  private state: AnalyzeState;

  static show(
    extensionUri: vscode.Uri,
    root: string,
    onMessage: (m: AnalyzeWebviewMessage, panel: AnalyzePanel) => void,
  ): AnalyzePanel {
    const existing = AnalyzePanel.panels.get(root);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const name = root.split(/[\\/]/).filter(Boolean).pop() ?? root;
    const panel = vscode.window.createWebviewPanel('lade.analyze', `Label Distribution: ${name}`, vscode.ViewColumn.Active, webviewOptions(extensionUri));
    const created = new AnalyzePanel(panel, extensionUri, root, onMessage);
    AnalyzePanel.panels.set(root, created);
    return created;
  }

  /** Results of the open panels whose scan finished, most recently opened first (so others need not rescan). */
  static scanned(): AnalyzeResult[] {
    return [...AnalyzePanel.panels.values()].reverse().flatMap((p) => (p.state.status === 'ready' ? [p.state.result] : []));
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly root: string,
    onMessage: (m: AnalyzeWebviewMessage, panel: AnalyzePanel) => void,
  ) {
    this.state = { status: 'loading', root };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lade.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'analyze', 'Label Distribution');
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      let m: AnalyzeWebviewMessage;
      try {
        m = parseAnalyzeWebviewMessage(raw);
      } catch (err) {
        outputChannel().warn(`Ignored a message from the Analyze webview: ${(err as Error).message}`);
        return;
      }
      if (m.type === 'ready') {
        // A reloaded or re-shown webview starts empty: give it the whole state again.
        this.ready = true;
        this.post();
      }
      onMessage(m, this);
    });
    panel.onDidDispose(() => AnalyzePanel.panels.delete(root));
  }

  setState(state: AnalyzeState): void {
    this.state = state;
    this.post();
  }

  get current(): AnalyzeState {
    return this.state;
  }

  private post(): void {
    if (!this.ready) return;
    const m: AnalyzeHostMessage = { type: 'setState', state: this.state };
    void this.panel.webview.postMessage(m);
  }
}
