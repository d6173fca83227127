// "Train with LADE" on the PyTorch engine (lade.engine: torch): the same quick picks, the Training view's live
// history from the child Python's protocol, and a torch run folder on disk. Skipped where no Python has torch
// (CI installs Debian's python3-torch, so it runs there).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/core/runs';
import { writeFolderDataset } from './harness/dataset';
import { useWorkbench } from './harness/session';
import { answerPrompts, runFolders, trainingView } from './harness/training';

const TORCH_PYTHON = [process.env.LADE_PYTHON, '/usr/bin/python3', 'python3']
  .filter((p): p is string => !!p)
  .find((p) => spawnSync(p, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0);

describe.skipIf(!TORCH_PYTHON)('Train with LADE on the PyTorch engine', () => {
  const vs = useWorkbench({
    workspace: (scratch) => writeFolderDataset({ cat: 12, dog: 6, fox: 3 }, { parent: scratch, splits: ['train', 'test'] }),
    settings: { 'lade.engine': 'torch', 'lade.python': TORCH_PYTHON, 'lade.torch.device': 'cpu', 'lade.train.inputSize': 8, 'lade.train.batchSize': 8 },
  });

  it('trains one epoch in a child Python and shows it in the Training view', async () => {
    await vs.runCommand('LADE: Train with LADE');
    await answerPrompts(vs.page, 'LADE', 1);
    const view = await trainingView(vs, 'completed');
    expect(await view.locator('[data-testid=history] tbody tr').count(), 'epochs listed in the training view').toBe(1);
    expect(await view.locator('section.run').first().innerText()).toMatch(/backend torch-cpu \(PyTorch /);

    const [runDir] = runFolders(vs.workspace!);
    const { record } = readRun(runDir!);
    expect(record.status).toBe('completed');
    expect(record.origin).toEqual({ kind: 'trained', engine: 'torch', processes: 1 });
    expect(record.classes).toEqual(['cat', 'dog', 'fox']);
    expect(existsSync(path.join(runDir!, 'logits-test.bin'))).toBe(true);
    expect(existsSync(path.join(runDir!, 'model.onnx'))).toBe(true);
  });
});
