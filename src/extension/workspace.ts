// The workspace folder the extension keeps .lade/ (runs, priors, exports) in: the first one; and the trust
// that commands which run code or write files ask for.
import * as vscode from 'vscode';

export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/**
 * True in a trusted workspace; otherwise says why the command needs trust (`why` completes "LADE: …, so it
 * needs a trusted workspace."), offers Manage Workspace Trust, and returns false.
 */
export async function requireTrust(why: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const action = await vscode.window.showWarningMessage(`LADE: ${why}, so it needs a trusted workspace.`, 'Manage Workspace Trust');
  if (action) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
