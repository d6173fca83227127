// Registers the metrics panel's commands around the session and the panel registry activate() created.
//   lade.showMetrics          pick runs from .lade/runs and open the metrics panel
//   lade.exportAdjustedModel  the selected run's model with the current prior folded into its last bias
import path from 'node:path';
import * as vscode from 'vscode';
import { reportFailure } from '../errors';
import type { MetricsWebviewMessage } from '../../protocol/metricsPanel';
import { outputChannel } from '../log';
import { adjustment } from '../../core/priors/adjustment';
import type { BackendSetting } from '../../protocol/training';
import type { LadeSession } from '../session';
import { exportInWorker } from './exportInWorker';
import type { MetricsPanel, MetricsPanels } from './panel';
import type { RunFolder } from '../../core/runs';
import { listRuns, sameClasses } from './runFolders';
import { runLabel } from './runOrigin';
import { workspaceRoot } from '../workspace';

function runsNow(): RunFolder[] {
  const root = workspaceRoot();
  if (!root) return [];
  const { runs, problems } = listRuns(root);
  for (const p of problems) outputChannel().warn(`Skipped a run: ${p}`);
  return runs;
}

/** The newest LADE (or BS) run and the newest CE run over the same classes: the paper's comparison. */
function defaultPair(runs: readonly RunFolder[]): RunFolder[] {
  const first = runs[0];
  if (!first) return [];
  const peers = runs.filter((r) => sameClasses(first, r));
  const lade = peers.find((r) => r.record.loss !== 'ce');
  const ce = peers.find((r) => r.record.loss === 'ce');
  return [lade, ce].filter((r): r is RunFolder => !!r);
}

async function pickRuns(runs: readonly RunFolder[], names?: readonly string[]): Promise<RunFolder[] | undefined> {
  if (names) return names.map((n) => runs.find((r) => r.name === n)).filter((r): r is RunFolder => !!r);
  if (runs.length <= 1) return [...runs];
  const preselected = new Set(defaultPair(runs));
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: runLabel(r), description: `${r.record.loss} · ${r.record.classes.length} classes · ${r.splits.map((s) => s.name).join(', ') || 'no cached logits'}`, picked: preselected.has(r), run: r })),
    { canPickMany: true, title: 'LADE: runs to compare (same classes)' },
  );
  return picked?.map((p) => p.run);
}

export function registerMetrics(context: vscode.ExtensionContext, session: LadeSession, panels: MetricsPanels): vscode.Disposable {
  async function exportModel(runName?: string): Promise<void> {
    const panel = panels.open;
    const target = session.target;
    const root = workspaceRoot();
    if (!panel || !target || !root) {
      void vscode.window.showWarningMessage('LADE: open a run in the metrics panel and choose a target prior first.');
      return;
    }
    const candidates = panel.selected.runs.filter((r) => r.modelJson && (!runName || r.name === runName));
    const run =
      candidates.length <= 1
        ? candidates[0]
        : (await vscode.window.showQuickPick(candidates.map((r) => ({ label: runLabel(r), description: r.record.loss, run: r })), { title: 'LADE: run to export' }))?.run;
    if (!run?.modelJson) {
      if (candidates.length === 0) void vscode.window.showWarningMessage('LADE: the selected runs have no saved model (model/model.json or model.onnx).');
      return;
    }
    const modelJson = run.modelJson;
    const safeLabel = target.label.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'prior';
    const outDir = path.join(root, '.lade', 'exports', `${run.name}-${safeLabel}`);
    const adj = adjustment({ name: run.name, lossKind: run.record.loss, classes: run.record.classes, trainCounts: run.record.trainCounts }, target);
    const backend = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LADE: exporting ${run.name} adjusted to ${target.label}` },
      () =>
        exportInWorker(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, {
          modelJson,
          outDir,
          adjustment: adj,
          backend: vscode.workspace.getConfiguration('lade').get<BackendSetting>('backend', 'auto'),
        }),
    );
    outputChannel().info(`Exported ${run.name} adjusted to '${target.label}' to ${outDir} (backend ${backend.name}: ${backend.reason})`);
    void vscode.window.showInformationMessage(`LADE: adjusted model written to ${path.relative(root, outDir)} (${modelJson.endsWith('.onnx') ? 'model-adjusted.onnx' : 'model.json, weights.bin'}, adjustment.json).`);
  }

  function onPanelMessage(m: MetricsWebviewMessage, panel: MetricsPanel): void {
    const run = async () => {
      switch (m.type) {
        case 'ready':
          return;
        case 'selectRuns': {
          const available = runsNow();
          panel.select({ available, runs: (await pickRuns(available, m.names)) ?? [], split: panel.selected.split });
          return;
        }
        case 'selectSplit':
          panel.select({ ...panel.selected, split: m.split });
          return;
        case 'exportModel':
          await exportModel(m.run);
          return;
      }
    };
    run().catch((err: unknown) => void reportFailure('Metrics panel', err));
  }

  return vscode.Disposable.from(
    vscode.commands.registerCommand('lade.showMetrics', async (names?: unknown) => {
      const available = runsNow();
      const chosen = await pickRuns(available, Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : undefined);
      if (!chosen) return undefined;
      panels.show({ available, runs: chosen }, onPanelMessage);
      return chosen.map((r) => r.name);
    }),
    vscode.commands.registerCommand('lade.exportAdjustedModel', async () => {
      try {
        await exportModel();
      } catch (err) {
        void reportFailure('Export of the adjusted model failed', err);
      }
    }),
  );
}
