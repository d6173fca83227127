// The "LADE" output channel: every scan, training run and backend choice is logged here.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function outputChannel(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('LADE', { log: true });
  return channel;
}
