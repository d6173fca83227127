// The "LADE Training" panel view: shows every run of this window with live progress and history.
import * as vscode from 'vscode';
import type { EpochRecord, TrainedRunRecord, TrainProgress } from '../../protocol/training';
import { parseTrainingViewMessage, type TrainingRunView, type TrainingViewHostMessage, type TrainingViewMessage } from '../../protocol/trainingView';
import { outputChannel } from '../log';
import { webviewHtml, webviewOptions } from '../webview/html';

export const TRAINING_VIEW_ID = 'lade.trainingView';

export class TrainingViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private runs: TrainingRunView[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (m: TrainingViewMessage) => void,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'training', 'LADE Training');
    view.webview.onDidReceiveMessage((raw: unknown) => {
      let m: TrainingViewMessage;
      try {
        m = parseTrainingViewMessage(raw);
      } catch (err) {
        outputChannel().warn(`Ignored a message from the training view: ${(err as Error).message}`);
        return;
      }
      if (m.type === 'ready') {
        this.ready = true;
        this.post();
      } else this.onMessage(m);
    });
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
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
    if (!this.view || !this.ready) return;
    const m: TrainingViewHostMessage = { type: 'setState', state: { runs: this.runs } };
    void this.view.webview.postMessage(m);
  }
}
