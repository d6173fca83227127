// "LADE: Estimate Deployment Prior": a run's model over a folder of unlabelled images (or, for an imported
// run without a model, their logits in a file), EM+BCTS (or EM, BBSE)
// with bootstrap intervals, all in a worker thread under a cancellable progress notification; the estimate
// becomes a named prior in the prior editor (handed to it directly), ready to use and save.
import path from 'node:path';
import * as vscode from 'vscode';
import { reportFailure } from '../errors';
import type { EstimateJob, EstimateMethodName, PriorEstimate } from '../../protocol/estimateWorker';
import type { BackendSetting } from '../../protocol/training';
import { outputChannel } from '../log';
import type { RunFolder } from '../../core/runs';
import type { MetricsPanels } from '../metrics/panel';
import { listRuns } from '../metrics/runFolders';
import { runLabel } from '../metrics/runOrigin';
import { PREDICTION_EXTENSIONS } from '../../core/import';
import { PRIOR_VIEW_ID, type PriorEditorView } from '../priors/view';
import { calibrationSplits, parseEstimateArgument, resolveRun, runProblem, splitProblem } from './argument';
import { EstimateCancelled, EstimateJobError, estimateInWorker } from './estimateInWorker';
import { estimateCautions, estimatedPrior, estimatedPriorName, estimateLogLines, estimateWarnings, progressStep, splitCaution } from './handoff';
import { workspaceRoot, requireTrust } from '../workspace';

export const ESTIMATE_COMMAND = 'lade.estimatePrior';
const BOOTSTRAP = 200;

/** What the command resolves to (undefined when the user stopped, or it failed with a message shown). */
export interface EstimatePriorOutcome {
  /** The named prior's name, estimated-<folder>-<date>. */
  readonly name: string;
  /** Whether the prior editor took it as the target prior. */
  readonly applied: boolean;
  readonly estimate: PriorEstimate;
}

interface Request {
  readonly run: RunFolder;
  /** The run's labelled split to calibrate on. */
  readonly split: string;
  readonly folder: string;
  readonly method: EstimateMethodName;
}

function workspaceRuns(root: string | undefined): RunFolder[] {
  if (!root) return [];
  const { runs, problems } = listRuns(root);
  for (const p of problems) outputChannel().warn(`Skipped a run: ${p}`);
  return runs;
}

/** From the argument when there is one, else a quick pick of the usable runs and a folder picker. */
async function chooseRequest(arg: unknown): Promise<Request | undefined> {
  const given = parseEstimateArgument(arg);
  const root = workspaceRoot();
  const runs = workspaceRuns(root);
  if (given) {
    const run = resolveRun(given.run, runs, root);
    const problem = runProblem(run) ?? splitProblem(run, given.split);
    if (problem) throw new EstimateJobError(problem);
    return { run, split: given.split, folder: path.resolve(root ?? '', given.folder), method: given.method };
  }
  const usable = runs.filter((r) => runProblem(r) === null);
  if (usable.length === 0) {
    void vscode.window.showWarningMessage(
      'LADE: no finished run with validation logits in .lade/runs; train one first (LADE: Train with LADE) or import one (LADE: Import Model or Predictions).',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    usable.map((r) => ({ label: runLabel(r), description: `${r.record.loss} · ${r.record.classes.length} classes`, run: r })),
    { title: 'LADE: run whose model reads the unlabelled images', placeHolder: 'One of its labelled splits (val, or one you pick) calibrates the estimate' },
  );
  if (!picked) return undefined;
  const split = await chooseSplit(picked.run);
  if (!split) return undefined;
  const folder = await chooseDeploymentData(picked.run, root);
  return folder ? { run: picked.run, split, folder, method: 'em-bcts' } : undefined;
}

/** A folder of images for a run with a model; the deployment logits in a file for one without (an import). */
async function chooseDeploymentData(run: RunFolder, root: string | undefined): Promise<string | undefined> {
  const logitsFile = !run.modelJson;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFolders: !logitsFile,
    canSelectFiles: logitsFile,
    canSelectMany: false,
    title: logitsFile
      ? `LADE: ${run.name} has no model: the unlabelled deployment images' logits (.npz, .safetensors, CSV)`
      : 'LADE: folder of unlabelled deployment images',
    openLabel: 'Estimate Prior',
    ...(logitsFile ? { filters: { 'Logits': PREDICTION_EXTENSIONS.map((e) => e.slice(1)) } } : {}),
    ...(root ? { defaultUri: vscode.Uri.file(root) } : {}),
  });
  return chosen?.[0]?.fsPath;
}

/** The run's only labelled split, or the one the user picks, each shown with its smallest class. */
async function chooseSplit(run: RunFolder): Promise<string | undefined> {
  const splits = calibrationSplits(run);
  if (splits.length === 1) return splits[0]!.name;
  const picked = await vscode.window.showQuickPick(
    splits.map((s) => {
      const caution = splitCaution(s.name);
      return {
        label: s.name,
        description: `${s.images} labelled images, fewest in one class: ${s.fewest} (${s.fewestClass})`,
        ...(caution ? { detail: `$(warning) ${caution}` } : {}),
        name: s.name,
      };
    }),
    {
      title: `LADE: labelled split of ${run.name} to calibrate on`,
      placeHolder: 'More images of each class calibrate the estimate better',
    },
  );
  return picked?.name;
}

function runEstimate(workerPath: string, req: Request): Thenable<PriorEstimate> {
  const backend = vscode.workspace.getConfiguration('lade').get<BackendSetting>('backend', 'auto');
  const job: EstimateJob = { runDir: req.run.dir, split: req.split, folder: req.folder, method: req.method, backend, bootstrap: BOOTSTRAP, seed: 0 };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LADE: estimating the prior of ${path.basename(req.folder)} with ${req.run.name}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      return estimateInWorker(
        workerPath,
        job,
        (p) => {
          const step = progressStep(p, req.method, req.split);
          const percent = 100 * step.fraction;
          progress.report({ message: step.message, increment: Math.max(0, percent - reported) });
          reported = Math.max(reported, percent);
        },
        token,
      );
    },
  );
}

const PANEL_READY_MS = 15_000;

/** Whether the prior editor took the estimate, and why not. */
type Handed = 'applied' | 'kept edit' | 'run not open';

/**
 * The prior editor edits the classes of the run open in the metrics panel: open this run there unless it
 * already is, then apply. False when the run could not be opened (a run folder outside .lade/runs).
 */
async function handToPriorEditor(to: EstimateHandoff, run: RunFolder, estimate: PriorEstimate, name: string): Promise<Handed> {
  // Opening another run or applying would drop a hand-edited target the user has not saved: ask first.
  if (to.priorEditor.hasUnsavedEdit()) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `LADE: replace the target prior you edited and have not saved with '${name}'?`,
      { modal: true, detail: 'Save the edit in the Target Prior view first to keep it. The estimate is in the LADE output either way.' },
      replace,
    );
    if (answer !== replace) return 'kept edit';
  }
  const isOpen = (): boolean => !!to.metrics.open?.selected.runs.some((r) => path.resolve(r.dir) === path.resolve(run.dir));
  if (!isOpen()) await vscode.commands.executeCommand('lade.showMetrics', [run.name]);
  const panel = to.metrics.open;
  if (!panel || !isOpen()) return 'run not open';
  // One webview at a time (see WebviewChannel.whenReady); past the wait, focus the editor anyway.
  await panel.whenReady(PANEL_READY_MS);
  const cautions = estimateCautions(estimate);
  await to.priorEditor.applyNamedPrior(estimatedPrior(estimate, name), cautions.length ? { notice: cautions.join(' ') } : {});
  await vscode.commands.executeCommand(`${PRIOR_VIEW_ID}.focus`);
  return 'applied';
}

function report(outcome: EstimatePriorOutcome, handed: Handed, run: RunFolder): void {
  const log = outputChannel();
  const { estimate, name } = outcome;
  for (const line of estimateLogLines(estimate, name)) log.info(line);
  const warnings = estimateWarnings(estimate);
  for (const w of warnings) log.warn(`[${name}] ${w}`);
  const where = {
    applied: `'${name}' is now the target prior in the Target Prior view (save it there)`,
    'kept edit': `your edited target prior was kept; the estimate '${name}' is in the LADE output`,
    'run not open': `open ${run.name} in LADE: Show Metrics to use '${name}'; the estimate is in the LADE output`,
  }[handed];
  const head = `LADE: estimated the prior of ${estimate.images} images in ${path.basename(estimate.folder)}; ${where}.`;
  if (warnings.length === 0) {
    void vscode.window.showInformationMessage(head);
    return;
  }
  void vscode.window
    .showWarningMessage(`${head} ${warnings.length === 1 ? 'Warning' : `${warnings.length} warnings`}: ${warnings.join(' ')}`, 'Show Log')
    .then((action) => (action ? log.show(true) : undefined));
}

/** Where an estimate goes: the metrics panel opens its run, the prior editor takes the prior. */
export interface EstimateHandoff {
  readonly metrics: MetricsPanels;
  readonly priorEditor: PriorEditorView;
}

export function registerEstimatePriorCommand(context: vscode.ExtensionContext, to: EstimateHandoff): vscode.Disposable {
  const workerPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'estimate.worker.js').fsPath;
  return vscode.commands.registerCommand(ESTIMATE_COMMAND, async (arg?: unknown): Promise<EstimatePriorOutcome | undefined> => {
    if (!(await requireTrust('estimating a prior runs a model from this workspace on its files'))) return undefined;
    const log = outputChannel();
    let req: Request | undefined;
    try {
      req = await chooseRequest(arg);
    } catch (err) {
      void reportFailure('Estimate of the deployment prior', err);
      return undefined;
    }
    if (!req) return undefined;
    log.info(
      `Estimating the prior of ${req.folder} with run ${req.run.name} (${req.method}, calibrated on ${req.split}, ${BOOTSTRAP} bootstrap resamples)`,
    );
    let estimate: PriorEstimate;
    try {
      estimate = await runEstimate(workerPath, req);
    } catch (err) {
      if (err instanceof EstimateCancelled) {
        log.info(`Estimate of ${req.folder} cancelled.`);
        return undefined;
      }
      void reportFailure(`Estimate of ${req.folder} failed`, err);
      return undefined;
    }
    const name = estimatedPriorName(req.folder, new Date());
    let handed: Handed = 'run not open';
    try {
      handed = await handToPriorEditor(to, req.run, estimate, name);
    } catch (err) {
      log.warn(`Could not apply '${name}' in the prior editor: ${(err as Error).message}`);
    }
    const outcome = { name, applied: handed === 'applied', estimate };
    report(outcome, handed, req.run);
    return outcome;
  });
}
