// Entry point of the LADE Studio extension: creates the services the features share and hands them to
// each feature's registration; heavy work lives in workers.
import * as vscode from 'vscode';
import { registerAnalyzeCommand } from './analyze/command';
import { AnalyzePanels } from './analyze/panel';
import { registerEstimatePriorCommand } from './estimate/command';
import { registerImportRunCommand } from './import/command';
import { outputChannel } from './log';
import { MetricsPanels } from './metrics/panel';
import { registerMetrics } from './metrics/register';
import { registerInstallNativeBackendCommand } from './nativeBackend/command';
import { registerPriors } from './priors/register';
import { LadeSession } from './session';
import { registerTrainCommand } from './training/command';

export function activate(context: vscode.ExtensionContext): void {
  const session = new LadeSession();
  const analyzePanels = new AnalyzePanels(context.extensionUri);
  const metrics = new MetricsPanels(context.extensionUri, session);
  const priors = registerPriors(context, session, () => analyzePanels.scanned());
  context.subscriptions.push(outputChannel(), registerAnalyzeCommand(context, analyzePanels));
  context.subscriptions.push(priors.disposable, registerMetrics(context, session, metrics));
  context.subscriptions.push(registerTrainCommand(context));
  context.subscriptions.push(registerEstimatePriorCommand(context, { metrics, priorEditor: priors.editor }));
  context.subscriptions.push(registerImportRunCommand(context));
  context.subscriptions.push(registerInstallNativeBackendCommand(context));
  outputChannel().info(`LADE Studio ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
