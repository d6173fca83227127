// The prior editor: a WebviewView in the "LADE" activity-bar container. It edits the target prior of the
// session (the runs open in the metrics panel, or a dataset's classes), reads and writes named priors in
// .lade/priors/, and imports priors from files and labelled folders.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { PriorError } from '../../core/priors';
import { DEFAULT_PER_CLASS_TEST_COUNT } from '../../core/priors/presets';
import { alignToClasses, parseImport, type ClassValues, type NamedPrior } from '../../core/priors/files';
import { EDITED_LABEL, targetPrior, withLabel, type TargetPrior } from '../../core/priors/target';
import {
  PriorEditorWebviewMessageSchema,
  type PriorEditorHostMessage,
  type PriorEditorState,
  type PriorEditorWebviewMessage,
  type PriorNotice,
} from '../../protocol/priorEditor';
import type { AnalyzeResult } from '../../core/dataset/types';
import { scanInWorker } from '../analyze/scanInWorker';
import { outputChannel } from '../log';
import type { LadeSession } from '../session';
import { scanSettings } from '../settings';
import { WebviewChannel } from '../webview/channel';
import { webviewHtml, webviewOptions } from '../webview/html';
import { listPriors, priorsDir, readPrior, writePrior } from './store';
import { workspaceRoot } from '../workspace';

export const PRIOR_VIEW_ID = 'lade.priorEditor';

/** Datasets analysed elsewhere in this window (the open Label Distribution panels), most recent first. */
export type ScannedDatasets = () => readonly AnalyzeResult[];

export class PriorEditorView implements vscode.WebviewViewProvider {
  private notice: PriorNotice | undefined;
  /** Folders this view scanned in this session, by root: offered again without a rescan. */
  private readonly scans = new Map<string, AnalyzeResult>();
  private readonly channel: WebviewChannel<PriorEditorWebviewMessage, PriorEditorHostMessage>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: LadeSession,
    private readonly scanned: ScannedDatasets,
  ) {
    this.channel = new WebviewChannel({
      channel: 'prior editor',
      schema: PriorEditorWebviewMessageSchema,
      fullState: () => [{ type: 'setState', state: this.state() }],
      onMessage: (m) => void this.onMessage(m).catch((err: unknown) => this.fail(err)),
      warn: (text) => outputChannel().warn(text),
    });
    session.onContext(() => {
      this.notice = undefined;
      this.channel.refresh();
    });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'priorEditor', 'Target Prior');
    const listener = this.channel.attach(view.webview);
    view.onDidDispose(() => listener.dispose());
  }

  /**
   * The extension point for priors made elsewhere (e.g. estimated from unlabelled images): shares by class
   * name, optional per-class intervals. Applies it to the editor and the metrics panel; saves it when asked.
   */
  async applyNamedPrior(prior: NamedPrior, options: { save?: boolean; notice?: string } = {}): Promise<void> {
    const context = this.session.context;
    if (!context) throw new PriorError('Open a run in the metrics panel (or pick a dataset) before applying a prior.');
    const values = new Map(prior.classes.map((c, i) => [c, prior.shares[i] ?? 0]));
    const { prior: shares, missing } = alignToClasses(values, context.classes, `prior '${prior.name}'`);
    const byName = new Map(prior.classes.map((c, i) => [c, prior.intervals?.[i] ?? null]));
    const intervals = prior.intervals ? context.classes.map((c) => byName.get(c) ?? null) : undefined;
    if (options.save) {
      const root = workspaceRoot();
      if (!root) throw new PriorError('Open a workspace folder to save priors in .lade/priors/.');
      writePrior(priorsDir(root), prior);
    }
    const text = options.notice ?? (missing.length ? `${missing.length} classes not in '${prior.name}' get share 0: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}` : undefined);
    this.apply(targetPrior(prior.name, shares, intervals), text ? { level: 'info', text } : undefined);
  }

  /** Whether the target is a hand edit not saved yet (saving gives it the file's name). */
  hasUnsavedEdit(): boolean {
    return this.session.target?.label === EDITED_LABEL;
  }

  private apply(target: TargetPrior, notice?: PriorNotice): void {
    this.session.setTarget(target);
    this.notice = notice;
    this.channel.post(notice ? { type: 'applyPrior', prior: target, notice } : { type: 'applyPrior', prior: target });
  }

  private state(): PriorEditorState {
    const root = workspaceRoot();
    const saved = root ? listPriors(priorsDir(root)) : [];
    const context = this.session.context;
    const target = this.session.target;
    const notice = this.notice ? { notice: this.notice } : {};
    if (!context || !target) return { status: 'empty', saved, ...notice };
    return {
      status: 'ready',
      context: context.source,
      classes: context.classes.map((name, i) => ({ name, trainCount: context.trainCounts[i] ?? 0 })),
      target,
      perClassTestCount: context.perClassTestCount,
      saved,
      ...notice,
    };
  }

  private fail(err: unknown): void {
    const text = (err as Error).message;
    outputChannel().warn(`Prior editor: ${text}`);
    this.notice = { level: 'error', text };
    this.channel.refresh();
  }

  private async onMessage(m: PriorEditorWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return;
      case 'targetChanged':
        this.session.setTarget(m.prior);
        return;
      case 'savePrior': {
        const context = this.session.context;
        const root = workspaceRoot();
        if (!context) return;
        if (!root) throw new PriorError('Open a workspace folder to save priors in .lade/priors/.');
        const file = writePrior(priorsDir(root), { name: m.name, origin: m.prior.label === m.name ? EDITED_LABEL : m.prior.label, classes: context.classes, shares: m.prior.shares, ...(m.prior.intervals ? { intervals: m.prior.intervals } : {}) });
        this.session.setTarget(withLabel(m.prior, m.name));
        this.notice = { level: 'info', text: `Saved ${path.relative(root, file)}.` };
        this.channel.refresh();
        return;
      }
      case 'loadPrior': {
        const root = workspaceRoot();
        if (!root) return;
        await this.applyNamedPrior(readPrior(priorsDir(root), m.name));
        return;
      }
      case 'openPriorFile': {
        const root = workspaceRoot();
        if (!root) return;
        // The name went through the same check as a save would, so it cannot leave .lade/priors.
        if (!listPriors(priorsDir(root)).some((p) => p.name === m.name)) return;
        await vscode.window.showTextDocument(vscode.Uri.file(path.join(priorsDir(root), `${m.name}.json`)));
        return;
      }
      case 'importFile': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Class shares or counts': ['json', 'csv'] }, openLabel: 'Import prior' });
        const file = picked?.[0]?.fsPath;
        if (!file) return;
        const values = parseImport(await readFile(file, 'utf8'), path.basename(file));
        this.applyValues(values, `import ${path.basename(file)}`);
        return;
      }
      case 'histogramFromFolder': {
        const result = await this.scanFolder('Use this labelled folder’s histogram');
        if (!result) return;
        this.applyValues(new Map(result.classes.map((c) => [c.name, c.count])), `histogram of ${path.basename(result.root)}`);
        return;
      }
      case 'useDataset': {
        const result = await this.pickDataset();
        if (!result) return;
        this.session.setContext({
          source: { kind: 'dataset', root: result.root },
          classes: result.classes.map((c) => c.name),
          trainCounts: result.classes.map((c) => c.count),
          perClassTestCount: DEFAULT_PER_CLASS_TEST_COUNT,
        });
        return;
      }
    }
  }

  private applyValues(values: ClassValues, label: string): void {
    const context = this.session.context;
    if (!context) throw new PriorError('Open a run in the metrics panel (or pick a dataset) first.');
    const { prior, missing } = alignToClasses(values, context.classes, label);
    const notice = missing.length ? { level: 'info' as const, text: `${label}: ${missing.length} classes not mentioned get share 0 (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}).` } : undefined;
    this.apply(targetPrior(label, prior), notice);
  }

  /** A dataset already analysed this session (open Label Distribution panels first), or else a folder to scan. */
  private async pickDataset(): Promise<AnalyzeResult | undefined> {
    const known = new Map<string, { result: AnalyzeResult; where: string }>();
    for (const result of this.scanned()) known.set(result.root, { result, where: 'Label Distribution panel' });
    for (const result of this.scans.values()) if (!known.has(result.root)) known.set(result.root, { result, where: 'scanned earlier' });
    if (known.size === 0) return this.scanFolder('Use this dataset’s classes');
    const picked = await vscode.window.showQuickPick(
      [
        ...[...known.values()].map(({ result, where }) => ({
          label: path.basename(result.root),
          description: `${result.classes.length} classes · ${result.total} images · ${where}`,
          detail: result.root,
          result,
        })),
        { label: 'Another folder…', description: 'scan a labelled folder', result: undefined },
      ],
      { title: 'LADE: dataset whose classes the prior editor works on' },
    );
    if (!picked) return undefined;
    return picked.result ?? this.scanFolder('Use this dataset’s classes');
  }

  private async scanFolder(openLabel: string): Promise<AnalyzeResult | undefined> {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel });
    const root = picked?.[0]?.fsPath;
    if (!root) return undefined;
    const settings = scanSettings(vscode.Uri.file(root));
    const distDir = vscode.Uri.joinPath(this.extensionUri, 'dist').fsPath;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `LADE: scanning ${path.basename(root)}`, cancellable: true }, (_p, token) =>
      scanInWorker(distDir, { root, validate: false, ...settings }, () => undefined, token),
    );
    this.scans.set(result.root, result);
    return result;
  }
}
