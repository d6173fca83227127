// Decides which folder "Analyze Label Distribution" works on: the Explorer selection, else the workspace
// folder when it looks like a dataset, else the user's pick.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';

const IMAGE = /\.(jpe?g|png|webp|gif|bmp|tiff?)$/i;
const SPLITS = new Set(['train', 'val', 'valid', 'validation', 'test']);

/** Cheap look (two levels, a few folders): split folders, or class folders holding images. */
export async function looksLikeDataset(dir: string): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  const folders = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.'));
  if (folders.some((e) => SPLITS.has(e.name.toLowerCase()))) return true;
  for (const f of folders.slice(0, 8)) {
    const inner = await readdir(path.join(dir, f.name)).catch(() => [] as string[]);
    if (inner.some((n) => IMAGE.test(n))) return true;
  }
  return false;
}

/** Command arguments are untyped: accept anything shaped like a file Uri (the Explorer passes one). */
function asFileUri(arg: unknown): vscode.Uri | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { scheme, fsPath } = arg as { scheme?: unknown; fsPath?: unknown };
  return scheme === 'file' && typeof fsPath === 'string' ? (arg as vscode.Uri) : undefined;
}

export async function pickDatasetFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  const selected = asFileUri(arg);
  if (selected) return selected;
  const folders = vscode.workspace.workspaceFolders ?? [];
  for (const f of folders) {
    if (f.uri.scheme === 'file' && (await looksLikeDataset(f.uri.fsPath))) return f.uri;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: folders[0]?.uri,
    openLabel: 'Analyze this dataset',
    title: 'LADE: choose a labelled image folder',
  });
  return picked?.[0];
}
