// Entry point of the LADE Studio extension: registers commands; heavy work lives in workers.
import * as vscode from 'vscode';
import { registerAnalyzeCommand } from './analyze/command';
import { registerEstimatePriorCommand } from './estimate/command';
import { outputChannel } from './log';
import { registerPriorsAndMetrics } from './metrics/register';
import { registerInstallNativeBackendCommand } from './nativeBackend/command';
import { registerTrainCommand } from './training/command';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(outputChannel(), registerAnalyzeCommand(context));
  context.subscriptions.push(registerPriorsAndMetrics(context));
  context.subscriptions.push(registerTrainCommand(context));
  context.subscriptions.push(registerEstimatePriorCommand(context));
  context.subscriptions.push(registerInstallNativeBackendCommand(context));
  outputChannel().info(`LADE Studio ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
