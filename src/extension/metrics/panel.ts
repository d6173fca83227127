// The metrics panel: the selected runs' cached logits evaluated under the session's target prior. The host
// only points the webview at logits-<split>.bin (asWebviewUri, the run folders in localResourceRoots);
// the webview fetches the binary and re-evaluates in a web worker on every prior change.
import * as vscode from 'vscode';
import {
  MetricsWebviewMessageSchema,
  type MetricsHostMessage,
  type MetricsRun,
  type MetricsState,
  type MetricsWebviewMessage,
} from '../../protocol/metricsPanel';
import { outputChannel } from '../log';
import { scanSettings } from '../settings';
import { WebviewChannel } from '../webview/channel';
import { webviewHtml } from '../webview/html';
import type { RunFolder } from '../../core/runs';
import { perClassTestCount, readLabels, runChoice, sameClasses } from './runFolders';
import type { LadeSession } from '../session';

/** Splits in the order the panel prefers them. */
const SPLIT_PREFERENCE = ['test', 'val', 'validation'];

export interface MetricsSelection {
  readonly available: readonly RunFolder[];
  readonly runs: readonly RunFolder[];
  readonly split?: string;
}

/** The feature's one metrics panel (created in activate()): shows it, and says which runs it has open. */
export class MetricsPanels {
  private current: MetricsPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: LadeSession,
  ) {}

  show(selection: MetricsSelection, onMessage: (m: MetricsWebviewMessage, panel: MetricsPanel) => void): MetricsPanel {
    const existing = this.current;
    if (existing) {
      existing.select(selection);
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('lade.metrics', 'LADE Metrics', vscode.ViewColumn.Active, { enableScripts: true, retainContextWhenHidden: false });
    const created = new MetricsPanel(panel, this.extensionUri, this.session, selection, onMessage, () => {
      if (this.current === created) this.current = undefined;
    });
    this.current = created;
    return created;
  }

  get open(): MetricsPanel | undefined {
    return this.current;
  }
}

export class MetricsPanel {
  private selection: MetricsSelection;
  private state: MetricsState;
  private readonly channel: WebviewChannel<MetricsWebviewMessage, MetricsHostMessage>;
  private readonly disposables: { dispose(): void }[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly session: LadeSession,
    selection: MetricsSelection,
    onMessage: (m: MetricsWebviewMessage, panel: MetricsPanel) => void,
    onDispose: () => void,
  ) {
    this.selection = selection;
    this.state = { status: 'empty', available: [], message: 'Loading…' };
    // A reloaded or re-shown webview starts empty: give it everything again.
    this.channel = new WebviewChannel({
      channel: 'metrics panel',
      schema: MetricsWebviewMessageSchema,
      fullState: () => {
        const target = session.target;
        return target ? [{ type: 'setState', state: this.state }, { type: 'setTarget', prior: target }] : [{ type: 'setState', state: this.state }];
      },
      onMessage: (m) => onMessage(m, this),
      warn: (text) => outputChannel().warn(text),
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'lade.svg');
    this.select(selection);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'metrics', 'LADE Metrics');
    this.disposables.push(this.channel.attach(panel.webview));
    this.disposables.push(session.onTarget((prior) => this.channel.post({ type: 'setTarget', prior })));
    panel.onDidDispose(() => {
      for (const d of this.disposables) d.dispose();
      onDispose();
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** See WebviewChannel.whenReady. */
  whenReady(timeoutMs: number): Promise<boolean> {
    return this.channel.whenReady(timeoutMs);
  }

  get selected(): MetricsSelection {
    return this.selection;
  }

  /** Picks the runs (same classes as the first) and a split they all have, then pushes the state. */
  select(selection: MetricsSelection): void {
    this.selection = selection;
    const available = selection.available.map(runChoice);
    const first = selection.runs[0];
    // The run folders must be readable by the webview: widen the resource roots before it fetches.
    this.panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), ...selection.runs.map((r) => vscode.Uri.file(r.dir))],
    };
    if (!first) {
      this.setState({ status: 'empty', available, message: available.length ? 'Choose runs to compare.' : 'No finished runs in .lade/runs yet: train one first (LADE: Train).' });
      return;
    }
    const mismatch = selection.runs.find((r) => !sameClasses(first, r));
    if (mismatch) {
      this.setState({ status: 'error', available, error: `Run '${mismatch.name}' has different classes from '${first.name}'; compare runs over the same classes.` });
      return;
    }
    const common = first.splits.map((s) => s.name).filter((n) => selection.runs.every((r) => r.splits.some((s) => s.name === n)));
    const split = selection.split && common.includes(selection.split) ? selection.split : (SPLIT_PREFERENCE.find((s) => common.includes(s)) ?? common[0]);
    if (!split) {
      this.setState({ status: 'error', available, error: `The selected runs have no evaluation split with cached logits in common.` });
      return;
    }
    try {
      let m = Number.POSITIVE_INFINITY;
      const runs = selection.runs.map((r): MetricsRun => {
        const s = r.splits.find((x) => x.name === split);
        if (!s) throw new Error(`Run '${r.name}' has no split '${split}'.`);
        const labels = readLabels(s, r.record.classes.length);
        m = Math.min(m, perClassTestCount(labels, r.record.classes.length));
        return {
          name: r.name,
          lossKind: r.record.loss,
          classes: r.record.classes,
          trainCounts: r.record.trainCounts,
          split,
          numSamples: labels.length,
          logitsUrl: this.panel.webview.asWebviewUri(vscode.Uri.file(s.logitsFile)).toString(),
          labelsUrl: this.panel.webview.asWebviewUri(vscode.Uri.file(s.labelsFile)).toString(),
        };
      });
      const settings = scanSettings();
      this.setState({ status: 'ready', available, runs, split, shots: { many: settings.manyThreshold, few: settings.fewThreshold }, perClassTestCount: m });
      this.session.setContext({ source: { kind: 'run', runName: runs.map((r) => r.name).join(' + ') }, classes: first.record.classes, trainCounts: first.record.trainCounts, perClassTestCount: m });
    } catch (err) {
      this.setState({ status: 'error', available, error: (err as Error).message });
    }
  }

  private setState(state: MetricsState): void {
    this.state = state;
    this.channel.post({ type: 'setState', state });
  }
}
