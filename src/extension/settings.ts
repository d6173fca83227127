// Typed access to the `lade.*` settings, with the defaults declared in package.json.
import * as vscode from 'vscode';

export interface ScanSettings {
  readonly manyThreshold: number;
  readonly fewThreshold: number;
  readonly beta: number;
  readonly ignore: readonly string[];
}

export function scanSettings(scope?: vscode.Uri): ScanSettings {
  const c = vscode.workspace.getConfiguration('lade', scope);
  return {
    manyThreshold: c.get<number>('shots.manyThreshold', 100),
    fewThreshold: c.get<number>('shots.fewThreshold', 20),
    beta: c.get<number>('effectiveNumberBeta', 0.999),
    ignore: c.get<string[]>('scan.ignore', []),
  };
}
