// "LADE: Analyze Label Distribution": pick a folder, scan it in a worker under a cancellable progress
// notification, and show the histogram panel. Returns the result so tests and other commands can use it.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage, reportFailure } from '../errors';
import type { AnalyzeResult } from '../../core/dataset/types';
import type { AnalyzeWebviewMessage } from '../../protocol/analyze';
import { outputChannel } from '../log';
import { scanSettings } from '../settings';
import type { AnalyzePanel, AnalyzePanels } from './panel';
import { pickDatasetFolder } from './pickDataset';
import { ScanCancelled, scanInWorker } from './scanInWorker';
import { resultAsCsv } from './exportResult';

export function registerAnalyzeCommand(context: vscode.ExtensionContext, panels: AnalyzePanels): vscode.Disposable {
  const distDir = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;

  async function scan(root: string, panel: AnalyzePanel): Promise<AnalyzeResult | undefined> {
    const log = outputChannel();
    const settings = scanSettings(vscode.Uri.file(root));
    panel.setState({ status: 'loading', root });
    log.info(`Scanning ${root}`);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LADE: scanning ${path.basename(root)}`, cancellable: true },
        (progress, token) =>
          scanInWorker(
            distDir,
            { root, validate: false, ...settings },
            (p) => {
              progress.report({ message: `${p.phase}: ${p.filesSeen.toLocaleString()} files` });
              panel.setState({ status: 'loading', root, progress: p });
            },
            token,
          ),
      );
      log.info(
        `Scanned ${root}: ${result.total} images in ${result.classes.length} classes (${result.layout}), ` +
          `imbalance ${result.imbalanceRatio.toFixed(1)}, ${result.durationMs.toFixed(0)} ms`,
      );
      for (const w of result.warnings) log.warn(w.message);
      panel.setState({ status: 'ready', root, result });
      return result;
    } catch (err) {
      const message = err instanceof ScanCancelled ? 'Scan cancelled.' : errorMessage(err);
      if (err instanceof ScanCancelled) log.info(`Scan of ${root} cancelled.`);
      panel.setState({ status: 'error', root, error: message });
      if (!(err instanceof ScanCancelled)) {
        void reportFailure(`Scan of ${root} failed`, err, [{ title: 'Choose Another Folder', run: () => vscode.commands.executeCommand('lade.analyze') }]);
      }
      return undefined;
    }
  }

  async function onMessage(m: AnalyzeWebviewMessage, panel: AnalyzePanel): Promise<void> {
    switch (m.type) {
      case 'ready':
        return;
      case 'rescan':
        await scan(panel.root, panel);
        return;
      case 'revealClass': {
        const state = panel.current;
        if (state.status !== 'ready' || !state.result.classes.some((c) => c.name === m.className)) return;
        const base = state.result.primarySplit ? path.join(panel.root, state.result.primarySplit) : panel.root;
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path.join(base, m.className)));
        return;
      }
      case 'export': {
        const state = panel.current;
        if (state.status !== 'ready') return;
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.file(path.join(panel.root, `label-distribution.${m.format}`)),
          filters: m.format === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
        });
        if (!target) return;
        const text = m.format === 'json' ? JSON.stringify(state.result, null, 2) : resultAsCsv(state.result);
        await writeFile(target.fsPath, text, 'utf8');
        outputChannel().info(`Exported the label distribution to ${target.fsPath}`);
      }
    }
  }

  return vscode.commands.registerCommand('lade.analyze', async (arg?: unknown) => {
    const folder = await pickDatasetFolder(arg);
    if (!folder) return undefined;
    const panel = panels.show(folder.fsPath, (m, p) => void onMessage(m, p));
    return scan(folder.fsPath, panel);
  });
}
