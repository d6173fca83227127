// The workspace folder the extension keeps .lade/ (runs, priors, exports) in: the first one.
import * as vscode from 'vscode';

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
