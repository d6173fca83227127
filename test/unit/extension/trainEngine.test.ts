// The engine of "Train with LADE": lade.engine and lade.python, else the Python extension's interpreter
// (through its API), probed for torch; stand-in interpreters answer the probe.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { resolveEngine } from '../../../src/extension/training/engine';

vi.mock('vscode');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-engine-ext-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function fakePython(name: string, torch: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `#!/bin/sh\necho '{"torch": "${torch}", "python": "3.12.1", "cuda": 2, "mps": false}'\n`);
  chmodSync(file, 0o755);
  return file;
}

function settings(values: Record<string, string>): void {
  vi.spyOn(vscode.workspace, 'getConfiguration').mockReturnValue({
    get: <T>(key: string, fallback: T): T => (key in values ? (values[key] as T) : fallback),
  } as unknown as vscode.WorkspaceConfiguration);
}

function pythonExtension(interpreter: string | undefined): void {
  const api = { environments: { getActiveEnvironmentPath: () => ({ path: interpreter ?? '' }) } };
  vi.spyOn(vscode.extensions, 'getExtension').mockReturnValue(
    interpreter === undefined ? undefined : ({ isActive: true, exports: api } as unknown as vscode.Extension<unknown>),
  );
}

const folder = vscode.Uri.file(tmp);

describe('Train with LADE: the engine', () => {
  it("takes the Python extension's interpreter when lade.python is empty", async () => {
    settings({ engine: 'torch', python: '' });
    pythonExtension(fakePython('ext-python', '2.5.1+cu121'));
    const choice = await resolveEngine(folder, { ask: false });
    expect(choice).toMatchObject({ engine: 'torch', python: { source: 'the Python extension', cuda: 2 } });
    expect(choice!.reason).toBe(`PyTorch 2.5.1+cu121 (Python 3.12.1, 2 CUDA GPUs) at ${path.join(tmp, 'ext-python')} from the Python extension`);
  });

  it('lade.python wins over the extension; auto keeps TF.js for a TF.js fine-tune without probing', async () => {
    settings({ engine: 'auto', python: fakePython('setting-python', '1.13.1') });
    pythonExtension(fakePython('other', '2.0.0'));
    expect((await resolveEngine(folder, { ask: false }))!.reason).toContain(`${path.join(tmp, 'setting-python')} from lade.python (auto)`);
    expect(await resolveEngine(folder, { ask: false, tfjsOnly: 'it fine-tunes a TF.js model.json' })).toEqual({
      engine: 'tfjs',
      reason: 'TF.js engine: it fine-tunes a TF.js model.json',
    });
  });

  it('a command argument names the engine; a bad one names the field', async () => {
    settings({ engine: 'torch', python: path.join(tmp, 'missing') });
    pythonExtension(undefined);
    expect(await resolveEngine(folder, { requested: 'tfjs', ask: false })).toEqual({ engine: 'tfjs', reason: 'TF.js engine, as asked' });
    await expect(resolveEngine(folder, { requested: 'jax', ask: false })).rejects.toThrow("'engine' must be one of auto, tfjs, torch");
    await expect(resolveEngine(folder, { ask: false })).rejects.toThrow(/missing \(from lade\.python\): not found/);
  });
});
