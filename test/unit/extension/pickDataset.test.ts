import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Uri, window, workspace } from 'vscode';
import { looksLikeDataset, pickDatasetFolder } from '../../../src/extension/analyze/pickDataset';

vi.mock('vscode');

function tree(files: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lade-pick-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '');
  }
  return root;
}

describe('choosing the dataset folder', () => {
  afterEach(() => vi.restoreAllMocks());

  it('recognises split folders and class folders holding images, and nothing else', async () => {
    expect(await looksLikeDataset(tree(['train/cat/1.png']))).toBe(true);
    expect(await looksLikeDataset(tree(['cat/1.JPG', 'dog/2.png']))).toBe(true);
    expect(await looksLikeDataset(tree(['src/index.ts', 'README.md']))).toBe(false);
    expect(await looksLikeDataset(path.join(tmpdir(), 'does-not-exist-lade'))).toBe(false);
  });

  it('uses the Explorer selection first, then a dataset workspace folder, then asks', async () => {
    const selected = Uri.file('/somewhere');
    expect(await pickDatasetFolder(selected)).toBe(selected);

    const data = Uri.file(tree(['cat/1.png']));
    vi.spyOn(workspace, 'workspaceFolders', 'get').mockReturnValue([{ uri: data, name: 'data', index: 0 }]);
    expect((await pickDatasetFolder(undefined))?.fsPath).toBe(data.fsPath);

    const code = Uri.file(tree(['src/a.ts']));
    const chosen = Uri.file('/chosen');
    vi.spyOn(workspace, 'workspaceFolders', 'get').mockReturnValue([{ uri: code, name: 'code', index: 0 }]);
    const dialog = vi.spyOn(window, 'showOpenDialog').mockResolvedValue([chosen]);
    expect(await pickDatasetFolder(undefined)).toBe(chosen);
    expect(dialog).toHaveBeenCalledWith(expect.objectContaining({ canSelectFolders: true, canSelectFiles: false }));
  });
});
