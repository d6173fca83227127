// "LADE: Import Model or Predictions": a model trained elsewhere becomes an ordinary run in .lade/runs, from
// its logits saved as .npz/.safetensors/CSV (read and written in dist/import.worker.js) or from an ONNX model
// run over a dataset (core/onnx's importOnnxRun, whose inference has its own worker), under a cancellable
// progress notification; then Show Metrics opens it beside the runs trained here.
import path from 'node:path';
import * as vscode from 'vscode';
import { PREDICTION_EXTENSIONS } from '../../core/import';
import { CancelledError, OnnxInputError } from '../../core/onnx/inferInWorker';
import { importOnnxRun } from '../../core/onnx/importRun';
import { runName, type LossKind } from '../../core/runs';
import type { ImportedRun, ImportJob } from '../../protocol/importWorker';
import { reportFailure } from '../errors';
import { outputChannel } from '../log';
import { workspaceRoot, requireTrust } from '../workspace';
import { LOSS_CHOICES, runNameProblem, splitNameProblem, suggestedSplitName } from './choices';
import { ImportCancelled, ImportJobError, importInWorker } from './importInWorker';

export const IMPORT_COMMAND = 'lade.importRun';

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

interface Plan {
  /** What the progress notification and the log call it. */
  readonly what: string;
  readonly runDir: string;
  readonly run: (progress: Progress, token: vscode.CancellationToken) => Promise<ImportedRun>;
}

async function pickFile(title: string, openLabel: string, filters: Record<string, string[]>, root: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: false, canSelectMany: false, title, openLabel, filters, defaultUri: vscode.Uri.file(root) });
  return picked?.[0]?.fsPath;
}

async function pickFolder(title: string, openLabel: string, root: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, title, openLabel, defaultUri: vscode.Uri.file(root) });
  return picked?.[0]?.fsPath;
}

const CLASS_FILES = { 'Class list': ['txt', 'json'], 'All files': ['*'] };

/** Each predictions file as a named split: val/test when its name says so, else the name the user types. */
async function pickSplits(root: string): Promise<ImportJob['splits'] | undefined> {
  const files = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: true,
    title: 'LADE: labelled predictions, one file per split (arrays logits [N, C] and labels [N], or CSV label,<one column per class>)',
    openLabel: 'Import',
    filters: { Predictions: PREDICTION_EXTENSIONS.map((e) => e.slice(1)) },
    defaultUri: vscode.Uri.file(root),
  });
  if (!files || files.length === 0) return undefined;
  const splits: { name: string; file: string }[] = [];
  for (const file of files.map((f) => f.fsPath)) {
    const taken = splits.map((s) => s.name);
    const suggested = suggestedSplitName(file);
    let name: string | undefined = suggested && !taken.includes(suggested) ? suggested : undefined;
    name ??= await vscode.window.showInputBox({
      title: `LADE: split name for ${path.basename(file)}`,
      prompt: 'The name of this labelled split in the run (val, test, ...)',
      value: taken.includes('val') ? 'test' : 'val',
      validateInput: (value) => splitNameProblem(value, taken),
    });
    if (name === undefined) return undefined;
    splits.push({ name, file });
  }
  return splits;
}

async function pickLoss(): Promise<LossKind | undefined> {
  const picked = await vscode.window.showQuickPick(
    LOSS_CHOICES.map((c) => ({ label: c.label, detail: c.detail, loss: c.loss })),
    { title: 'LADE: how was the model trained?', placeHolder: 'Decides how its logits are compensated for a target prior' },
  );
  return picked?.loss;
}

async function pickRunName(runsDir: string, suggested: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'LADE: name of the imported run',
    prompt: `The run is written to .lade/runs/<name>`,
    value: suggested,
    validateInput: (value) => runNameProblem(value, runsDir),
  });
}

async function planLogits(workerPath: string, root: string, runsDir: string): Promise<Plan | undefined> {
  const splits = await pickSplits(root);
  if (!splits) return undefined;
  const classes = await pickFile('LADE: class names in logit-column order (one per line, or a JSON array)', 'Use Classes', CLASS_FILES, root);
  if (!classes) return undefined;
  const countsKind = await vscode.window.showQuickPick(
    [
      { label: 'A counts file', detail: 'JSON {"class": count} or CSV class,count', folder: false },
      { label: 'A dataset folder', detail: 'its train/ split is counted, one subfolder per class', folder: true },
    ],
    { title: 'LADE: training images per class (they give the source prior p_s)' },
  );
  if (!countsKind) return undefined;
  const trainCounts = countsKind.folder
    ? await pickFolder('LADE: the dataset the model was trained on', 'Count Training Images', root)
    : await pickFile('LADE: training images per class', 'Use Counts', { Counts: ['json', 'csv'], 'All files': ['*'] }, root);
  if (!trainCounts) return undefined;
  const loss = await pickLoss();
  if (!loss) return undefined;
  const name = await pickRunName(runsDir, runName(countsKind.folder ? trainCounts : path.dirname(splits[0]!.file), loss));
  if (!name) return undefined;
  const job: ImportJob = { runDir: path.join(runsDir, name), classes, trainCounts, loss, splits };
  return {
    what: `logits ${splits.map((s) => `${s.name}=${s.file}`).join(', ')} (${loss})`,
    runDir: job.runDir,
    run: (progress, token) =>
      importInWorker(workerPath, job, (p) => progress.report({ message: `reading the ${p.split} split`, increment: 100 / p.total }), token),
  };
}

async function planOnnx(onnxWorkerPath: string, root: string, runsDir: string): Promise<Plan | undefined> {
  const model = await pickFile('LADE: ONNX image classifier (e.g. exported with torch.onnx.export)', 'Import Model', { 'ONNX model': ['onnx'] }, root);
  if (!model) return undefined;
  const data = await pickFolder('LADE: dataset with train/ and val/ or test/ (one subfolder per class)', 'Run Model on Dataset', root);
  if (!data) return undefined;
  const order = await vscode.window.showQuickPick(
    [
      { label: 'Class folder names, sorted', detail: "torchvision ImageFolder's order", file: false },
      { label: 'A class list file…', detail: 'one name per line (or "name index" lines) in the order of the model outputs', file: true },
    ],
    { title: "LADE: the order of the model's output classes" },
  );
  if (!order) return undefined;
  const classes = order.file ? await pickFile('LADE: class names in model-output order', 'Use Classes', CLASS_FILES, root) : undefined;
  if (order.file && !classes) return undefined;
  const loss = await pickLoss();
  if (!loss) return undefined;
  const name = await pickRunName(runsDir, runName(data, loss));
  if (!name) return undefined;
  const runDir = path.join(runsDir, name);
  return {
    what: `ONNX model ${model} on ${data} (${loss})`,
    runDir,
    run: async (progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      let step = '';
      try {
        const { record } = await importOnnxRun(
          { runDir, model, data, classes, loss },
          {
            signal: abort.signal,
            workerPath: onnxWorkerPath,
            onProgress: (p) => {
              const now = `${p.split}: ${p.phase === 'decode' ? 'decoding' : 'running the model on'} ${p.done}/${p.total} images`;
              if (now !== step) progress.report({ message: (step = now) });
            },
          },
        );
        return {
          name,
          numClasses: record.classes.length,
          splits: record.evalSplits.map((s) => ({ name: s.name, count: s.count, accuracy: record.finalAccuracy[s.name] ?? 0 })),
        };
      } catch (err) {
        if (err instanceof CancelledError) throw new ImportCancelled();
        if (err instanceof OnnxInputError) throw new ImportJobError(err.message);
        throw err;
      } finally {
        listener.dispose();
      }
    },
  };
}

async function choosePlan(context: vscode.ExtensionContext, root: string): Promise<Plan | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: 'ONNX model', detail: 'Runs the model on a dataset’s val/test images and keeps it for estimating and exporting', onnx: true },
      { label: 'Logits or predictions (.npz, .safetensors, CSV)', detail: 'Saved elsewhere (e.g. by PyTorch) for each labelled split', onnx: false },
    ],
    { title: 'LADE: import a model trained elsewhere', placeHolder: 'What do you have?' },
  );
  if (!kind) return undefined;
  const runsDir = path.join(root, '.lade', 'runs');
  const dist = (file: string): string => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  return kind.onnx ? planOnnx(dist('onnxInfer.worker.js'), root, runsDir) : planLogits(dist('import.worker.js'), root, runsDir);
}

/** Logs and shows what was imported, with Show Metrics to open it. */
async function announce(run: ImportedRun): Promise<void> {
  const splits = run.splits.map((s) => `${s.name} ${s.count} images, top-1 ${s.accuracy.toFixed(2)}%`).join('; ');
  outputChannel().info(`Imported run ${run.name}: ${run.numClasses} classes; ${splits}`);
  const action = await vscode.window.showInformationMessage(`LADE: imported ${run.name} (${splits}).`, 'Show Metrics');
  if (action) await vscode.commands.executeCommand('lade.showMetrics', [run.name]);
}

export function registerImportRunCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(IMPORT_COMMAND, async (): Promise<ImportedRun | undefined> => {
    if (!(await requireTrust('importing reads model and prediction files and writes a run in this workspace'))) return undefined;
    const root = workspaceRoot();
    if (!root) {
      void vscode.window.showWarningMessage('LADE: open a folder first: the imported run is written to its .lade/runs.');
      return undefined;
    }
    const plan = await choosePlan(context, root);
    if (!plan) return undefined;
    const log = outputChannel();
    log.info(`Importing ${plan.what} into ${plan.runDir}`);
    let run: ImportedRun;
    try {
      run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LADE: importing ${path.basename(plan.runDir)}`, cancellable: true },
        (progress, token) => plan.run(progress, token),
      );
    } catch (err) {
      if (err instanceof ImportCancelled) {
        log.info(`Import into ${plan.runDir} cancelled; no run was written.`);
        return undefined;
      }
      void reportFailure(`Import into ${plan.runDir} failed`, err);
      return undefined;
    }
    void announce(run);
    return run;
  });
}
