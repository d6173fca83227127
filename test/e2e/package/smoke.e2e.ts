// What users install, tested as installed: test/e2e/package/run.ts unpacks the .vsix that `npm run package`
// built for this machine and points LADE_E2E_EXTENSION_DIR at it, so the bundles and the native runtimes the
// .vsix carries (dist/node_modules) run, and nothing of the checkout's node_modules. One workbench, the smoke
// path: activation and Analyze, a one-epoch Train whose backend report names the Dawn it found (and, without
// a GPU, what is lacking and how to enable it), and Show Metrics on that run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformTarget } from '../../../src/core/tf/gpuRuntime';
import { readRun } from '../../../src/core/runs';
import { writeFolderDataset } from '../harness/dataset';
import { readManifest } from '../harness/extension';
import { useWorkbench } from '../harness/session';
import { answerPrompts, runFolders, trainingView } from '../harness/training';
import { errorMessages, firstVisible, frameWith } from '../harness/workbench';

const unpacked = process.env.LADE_E2E_EXTENSION_DIR;
const target = platformTarget();

describe('the installed platform package', () => {
  const vs = useWorkbench({
    workspace: (scratch) => writeFolderDataset({ cat: 12, dog: 6, fox: 3 }, { parent: scratch, splits: ['train', 'test'] }),
    settings: { 'lade.train.inputSize': 8, 'lade.train.batchSize': 8, 'security.workspace.trust.enabled': false },
  });

  it("is installed from an unpacked .vsix that carries this platform's Dawn and ONNX Runtime", () => {
    expect(unpacked, 'LADE_E2E_EXTENSION_DIR (test/e2e/package/run.ts sets it)').toBeDefined();
    expect(target, `a platform package for ${process.platform}-${process.arch}`).toBeDefined();
    const m = readManifest();
    const installed = path.join(vs.server.dirs.extensions, `${m.publisher}.${m.name}-${m.version}`, 'dist/node_modules');
    expect(existsSync(path.join(installed, 'webgpu/dist', target!.dawn, 'dawn.node')), 'Dawn in the installed extension').toBe(true);
    if (target!.onnxruntime) expect(existsSync(path.join(installed, 'onnxruntime-node/bin/napi-v6', target!.onnxruntime)), 'ONNX Runtime in the installed extension').toBe(true);
  });

  it('activates and analyzes the dataset', async () => {
    await vs.runCommand('LADE: Analyze Label Distribution');
    const view = vs.webview();
    const rows = view.locator('[data-testid="class-table"] tr[data-class]');
    const shown = await firstVisible([rows, view.locator('[data-testid="error"]'), errorMessages(vs.page)], 60_000);
    expect(shown, 'the analyze panel shows its class table').toBe(0);
    const classes = await Promise.all((await rows.all()).map((r) => r.getAttribute('data-class')));
    expect(classes.sort()).toEqual(['cat', 'dog', 'fox']);
  });

  it('trains one epoch, and the backend report names the Dawn it found and what it lacks', async () => {
    await vs.runCommand('LADE: Train with LADE');
    await answerPrompts(vs.page, 'LADE', 1);
    const view = await trainingView(vs, 'completed');
    const [runDir] = runFolders(vs.workspace!);
    const { record } = readRun(runDir!);
    expect(record.status).toBe('completed');
    expect(record.history).toHaveLength(1);
    const backend = record.backend!;
    if (backend.name === 'webgpu') {
      expect(backend.reason).toMatch(/^GPU adapter found \(Dawn\): \S/);
    } else {
      // No GPU here (CI): the package's Dawn loaded, and the report says what is missing and how to fix it.
      expect(backend.name).toBe('wasm');
      expect(backend.reason).toMatch(/^default \(webgpu: no GPU adapter: Dawn \(the webgpu package\) is installed/);
      expect(backend.reason).toContain('. To use the GPU: install');
      expect(await view.locator('section.run').first().innerText()).toContain('To use the GPU: install');
    }
  });

  it('shows the metrics of the run', async () => {
    await vs.runCommand('LADE: Show Metrics');
    const panel = await frameWith(vs.page, '[data-testid=results]', 60_000);
    await panel.locator('[data-testid=results][data-complete]').first().waitFor({ timeout: 60_000 });
  });
});
