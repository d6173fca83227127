// The Analyze Label Distribution webview panels: one per dataset folder, state pushed after the ready
// handshake. `AnalyzePanels` is the feature's registry, created in activate() and handed to whoever needs
// the finished scans (the prior editor offers them without a rescan).
import * as vscode from 'vscode';
import type { AnalyzeResult } from '../../core/dataset/types';
import { AnalyzeWebviewMessageSchema, type AnalyzeHostMessage, type AnalyzeState, type AnalyzeWebviewMessage } from '../../protocol/analyze';
import { outputChannel } from '../log';
import { WebviewChannel } from '../webview/channel';
import { webviewHtml, webviewOptions } from '../webview/html';

export class AnalyzePanels {
  private readonly panels = new Map<string, AnalyzePanel>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(root: string, onMessage: (m: AnalyzeWebviewMessage, panel: AnalyzePanel) => void): AnalyzePanel {
    const existing = this.panels.get(root);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const name = root.split(/[\\/]/).filter(Boolean).pop() ?? root;
    const panel = vscode.window.createWebviewPanel('lade.analyze', `Label Distribution: ${name}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const created = new AnalyzePanel(panel, this.extensionUri, root, onMessage, () => this.panels.delete(root));
    this.panels.set(root, created);
    return created;
  }

  /** Results of the open panels whose scan finished, most recently opened first (so others need not rescan). */
  scanned(): AnalyzeResult[] {
    return [...this.panels.values()].reverse().flatMap((p) => (p.current.status === 'ready' ? [p.current.result] : []));
  }
}

export class AnalyzePanel {
  private state: AnalyzeState;
  private readonly channel: WebviewChannel<AnalyzeWebviewMessage, AnalyzeHostMessage>;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly root: string,
    onMessage: (m: AnalyzeWebviewMessage, panel: AnalyzePanel) => void,
    onDispose: () => void,
  ) {
    this.state = { status: 'loading', root };
    this.channel = new WebviewChannel({
      channel: 'Analyze webview',
      schema: AnalyzeWebviewMessageSchema,
      fullState: () => [{ type: 'setState', state: this.state }],
      onMessage: (m) => onMessage(m, this),
      warn: (text) => outputChannel().warn(text),
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lade.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'analyze', 'Label Distribution');
    const listener = this.channel.attach(panel.webview);
    panel.onDidDispose(() => {
      listener.dispose();
      onDispose();
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  setState(state: AnalyzeState): void {
    this.state = state;
    this.channel.refresh();
  }

  get current(): AnalyzeState {
    return this.state;
  }
}
