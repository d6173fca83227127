// The "LADE Training" panel view: shows every run of this window with live progress and history.
import * as vscode from 'vscode';
import type { EpochRecord, TrainedRunRecord, TrainProgress } from '../../protocol/training';
import { TrainingViewMessageSchema, type TrainingRunView, type TrainingViewHostMessage, type TrainingViewMessage } from '../../protocol/trainingView';
import { outputChannel } from '../log';
import { WebviewChannel } from '../webview/channel';
import { webviewHtml, webviewOptions } from '../webview/html';

export const TRAINING_VIEW_ID = 'lade.trainingView';

export class TrainingViewProvider implements vscode.WebviewViewProvider {
  private runs: TrainingRunView[] = [];
  private readonly channel: WebviewChannel<TrainingViewMessage, TrainingViewHostMessage>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    onMessage: (m: TrainingViewMessage) => void,
  ) {
    this.channel = new WebviewChannel({
      channel: 'training view',
      schema: TrainingViewMessageSchema,
      fullState: () => [{ type: 'setState', state: { runs: this.runs } }],
      onMessage: (m) => {
        if (m.type !== 'ready') onMessage(m);
      },
      warn: (text) => outputChannel().warn(text),
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'training', 'LADE Training');
    const listener = this.channel.attach(view.webview);
    view.onDidDispose(() => listener.dispose());
  }

  upsert(run: TrainingRunView): void {
    this.runs = [run, ...this.runs.filter((r) => r.name !== run.name)];
    this.post();
  }

  update(name: string, change: (run: TrainingRunView) => TrainingRunView): void {
    this.runs = this.runs.map((r) => (r.name === name ? change(r) : r));
    this.post();
  }

  progress(name: string, progress: TrainProgress): void {
    this.update(name, (r) => ({ ...r, progress, backend: { name: progress.backend, reason: progress.backendReason } }));
  }

  epoch(name: string, record: EpochRecord): void {
    this.update(name, (r) => ({ ...r, history: [...r.history.filter((e) => e.epoch !== record.epoch), record] }));
  }

  finished(name: string, record: TrainedRunRecord): void {
    this.update(name, (r) => ({ ...r, status: record.status, progress: undefined, history: record.history, backend: record.backend }));
  }

  private post(): void {
    this.channel.refresh();
  }
}
