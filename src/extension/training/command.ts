// "LADE: Train with LADE": trains in a worker thread (never on the extension host), with a cancellable
// progress notification, a status-bar item and the training panel view; cancel keeps a resumable checkpoint.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { gpuAdvice } from '../../core/tf/gpuRuntime';
import { runName } from '../../core/runs/naming';
import { errorMessage, reportFailure } from '../errors';
import { checkpointPath } from '../../core/train/checkpoint';
import { startTrainingWorker, type TrainingHandle } from '../../core/train/trainingWorker';
import { EngineUnavailable, type EngineChoice } from '../../core/engines/engine';
import { startTorchTraining } from '../../core/engines/torchRunner';
import type { LossKind, TrainedRunRecord, TrainProgress } from '../../protocol/training';
import { isRecord } from '../../protocol/validate';
import { pickDatasetFolder } from '../analyze/pickDataset';
import { outputChannel } from '../log';
import { askChoice, choiceFromArgument, trainDefaults, type TrainChoice } from './options';
import { askStart, startConfig, startFromArgument, type TrainStart } from './start';
import { resolveEngine, torchDevice } from './engine';
import { TRAINING_VIEW_ID, TrainingViewProvider } from './view';
import { workspaceRoot, requireTrust } from '../workspace';

interface RunRequest {
  readonly name: string;
  readonly dataDir: string;
  readonly outDir: string;
  readonly loss: LossKind;
  readonly choice: TrainChoice;
  readonly start: TrainStart;
  readonly resume: boolean;
  readonly engine: EngineChoice;
}

/** Why a start needs the TF.js engine (torch fine-tunes .pt weights, and retunes no TF.js head). */
function tfjsOnly(start: TrainStart): string | undefined {
  if (start.kind === 'finetune') return 'it fine-tunes a TF.js model.json';
  if (start.kind === 'retune') return 'it retunes the head of a TF.js run';
  return undefined;
}

export function progressMessage(p: TrainProgress): string {
  // On wasm for want of a GPU runtime or driver, say how to get one (the Training view shows the whole reason).
  const advice = gpuAdvice(p.backendReason);
  const on = `on ${p.backend}${advice ? ` · to use the GPU: ${advice}` : ''}`;
  if (p.phase !== 'train') return `${p.phase} ${p.step}/${p.steps} ${on}`;
  return `epoch ${p.epoch}/${p.epochs}, step ${p.step}/${p.steps} · loss ${p.loss.total.toFixed(3)} · ${p.imagesPerSec.toFixed(0)} img/s ${on}`;
}

/** Where runs of a dataset live: .lade/runs in the workspace folder holding it (else beside the dataset). */
function runsRoot(dataDir: string): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dataDir)) ?? vscode.workspace.workspaceFolders?.[0];
  return path.join(folder?.uri.fsPath ?? dataDir, '.lade', 'runs');
}

export function registerTrainCommand(context: vscode.ExtensionContext): vscode.Disposable {
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'train.worker.js').fsPath;
  const active = new Map<string, TrainingHandle>();
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = `${TRAINING_VIEW_ID}.focus`;
  const view = new TrainingViewProvider(context.extensionUri, (m) => {
    if (m.type === 'cancel') active.get(m.name)?.cancel();
    else if (m.type === 'openResults') void vscode.commands.executeCommand('lade.showMetrics', [m.name]);
  });

  async function runOne(req: RunRequest): Promise<TrainedRunRecord | undefined> {
    const log = outputChannel();
    log.info(`Training ${req.name}: ${req.loss} / ${req.choice.model}, ${req.choice.epochs} epochs on ${req.dataDir} -> ${req.outDir}${req.resume ? ' (resuming)' : ''}`);
    view.upsert({ name: req.name, loss: req.loss, status: 'running', history: [] });
    try {
      const record = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LADE: training ${req.name}`, cancellable: true },
        (progress, token) => {
          const config = {
            dataDir: req.dataDir,
            outDir: req.outDir,
            loss: req.loss,
            model: req.choice.model,
            epochs: req.choice.epochs,
            batchSize: req.choice.batchSize,
            size: req.choice.size,
            backend: req.choice.backend,
            resume: req.resume,
            ...startConfig(req.start),
          };
          // Both engines give the same handle: the view, progress and cancel below need no engine-specific code.
          const handle =
            req.engine.engine === 'torch'
              ? startTorchTraining(config, { python: req.engine.python.command, device: torchDevice(vscode.Uri.file(req.dataDir)) })
              : startTrainingWorker(config, { workerPath });
          active.set(req.name, handle);
          token.onCancellationRequested(() => handle.cancel());
          let reported = 0;
          handle.onLog((level, message) => (level === 'warn' ? log.warn : log.info).call(log, `[${req.name}] ${message}`));
          handle.onEpoch((e) => view.epoch(req.name, e));
          handle.onProgress((p) => {
            view.progress(req.name, p);
            const done = p.phase === 'train' ? ((p.epoch - 1 + p.step / Math.max(p.steps, 1)) / p.epochs) * 100 : 0;
            progress.report({ message: progressMessage(p), increment: Math.max(0, done - reported) });
            reported = Math.max(reported, done);
            status.text = `$(loading~spin) LADE ${req.loss} ${p.phase === 'train' ? `${p.epoch}/${p.epochs}` : p.phase} ${done.toFixed(0)}%`;
            status.tooltip = progressMessage(p);
            status.show();
          });
          return handle.result;
        },
      );
      view.finished(req.name, record);
      log.info(`[${req.name}] ${record.status} on ${record.backend.name} (${record.backend.reason}); accuracy ${JSON.stringify(record.finalAccuracy)}`);
      if (record.status === 'cancelled') {
        const epoch = record.history.length;
        void vscode.window
          .showInformationMessage(`LADE: ${req.name} cancelled after ${epoch} epoch(s); its checkpoint is kept.`, 'Resume')
          .then((a) => (a === 'Resume' ? runOne({ ...req, resume: true }) : undefined));
      }
      return record;
    } catch (err) {
      view.update(req.name, (r) => ({ ...r, status: 'failed', progress: undefined, error: errorMessage(err) }));
      // A crash or kill leaves the last checkpoint intact (written atomically): offer to go on from it as after a cancel.
      const actions = [checkpointPath(req.outDir), path.join(req.outDir, 'checkpoint.pt')].some((f) => existsSync(f)) ? [{ title: 'Resume', run: () => runOne({ ...req, resume: true }) }] : [];
      void reportFailure(`training ${req.name} failed`, err, actions);
      return undefined;
    } finally {
      active.delete(req.name);
      if (active.size === 0) status.hide();
    }
  }

  const command = vscode.commands.registerCommand('lade.train', async (arg?: unknown): Promise<TrainedRunRecord[] | undefined> => {
    if (!(await requireTrust('training reads and writes files in this workspace'))) return undefined;
    // Automation and tests pass { dataDir, losses, epochs, … }; the Explorer passes a folder Uri.
    const options = isRecord(arg) && typeof arg.dataDir === 'string' ? arg : undefined;
    const folder = options ? vscode.Uri.file(options.dataDir as string) : await pickDatasetFolder(arg);
    if (!folder) return undefined;
    let choice: TrainChoice | undefined;
    let start: TrainStart | undefined;
    try {
      const defaults = trainDefaults(folder);
      start = options ? startFromArgument(options) : await askStart(workspaceRoot());
      if (!start) return undefined;
      choice = options ? choiceFromArgument(options, defaults) : await askChoice(defaults, start.kind === 'scratch');
    } catch (err) {
      void reportFailure('training settings', err);
      return undefined;
    }
    if (!choice) return undefined;
    let engine: EngineChoice | undefined;
    try {
      engine = await resolveEngine(folder, { requested: options?.engine, ask: !options, tfjsOnly: tfjsOnly(start) });
    } catch (err) {
      const settings = { title: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'lade.python') };
      void reportFailure('training engine', err, err instanceof EngineUnavailable ? [settings] : []);
      return undefined;
    }
    if (!engine) return undefined;
    outputChannel().info(`Engine: ${engine.engine} (${engine.reason})`);
    await vscode.commands.executeCommand(`${TRAINING_VIEW_ID}.focus`);
    const startedAt = new Date();
    const root = runsRoot(folder.fsPath);
    const records: TrainedRunRecord[] = [];
    for (const loss of choice.losses) {
      const name = runName(folder.fsPath, loss, startedAt);
      const record = await runOne({ name, dataDir: folder.fsPath, outDir: path.join(root, name), loss, choice, start, resume: false, engine });
      if (!record) return records;
      records.push(record);
      if (record.status === 'cancelled') return records;
    }
    const summary = records.map((r) => `${r.config.loss}: ${(r.finalAccuracy.test ?? r.finalAccuracy.val ?? NaN).toFixed(1)}%`).join(', ');
    void vscode.window
      .showInformationMessage(`LADE: training finished (${summary}).`, 'Show Metrics')
      .then((a) => (a ? vscode.commands.executeCommand('lade.showMetrics', records.map((r) => r.name)) : undefined));
    return records;
  });

  return vscode.Disposable.from(command, status, vscode.window.registerWebviewViewProvider(TRAINING_VIEW_ID, view));
}
