// "Export Adjusted Model" on an ONNX run through the real export worker bundle: it writes
// model-adjusted.onnx (checked by the export itself) and reports onnxruntime, not a TF.js backend.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADJUSTED_ONNX } from '../../../../src/core/onnx/exportAdjusted';
import { addOutputBias } from '../../../../src/core/onnx/modelProto';
import { adjustment } from '../../../../src/core/priors/adjustment';
import { exportInWorker } from '../../../../src/extension/metrics/exportInWorker';
import { bundleNode } from '../../../support/bundle';

const MODEL = path.resolve('test/fixtures/onnx/tiny.onnx');
let distDir: string;
let outDir: string;

beforeAll(async () => {
  // Under out/ (git-ignored), where the external onnxruntime-node resolves from node_modules.
  mkdirSync('out', { recursive: true });
  distDir = mkdtempSync(path.resolve('out', 'export-worker-'));
  await bundleNode('src/extension/workers/export.worker.ts', path.join(distDir, 'export.worker.js'));
  outDir = mkdtempSync(path.join(os.tmpdir(), 'lade-export-onnx-'));
});
afterAll(() => {
  rmSync(distDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe('export worker on an ONNX run', () => {
  it('writes model-adjusted.onnx with the bias folded into the final layer', async () => {
    const adj = adjustment({ name: 'tiny', lossKind: 'ce', classes: ['Dog', 'bird', 'cat'], trainCounts: [3, 2, 5] }, { label: 'uniform', shares: [1 / 3, 1 / 3, 1 / 3] });
    const backend = await exportInWorker(distDir, { modelJson: MODEL, outDir, backend: 'wasm', adjustment: adj });
    expect(backend.name).toBe('onnxruntime-cpu');
    expect(backend.reason).toMatch(/checked on 64 probe rows/);
    expect(existsSync(path.join(outDir, 'model', 'model.json'))).toBe(false);
    expect(readFileSync(path.join(outDir, ADJUSTED_ONNX))).toEqual(Buffer.from(addOutputBias(readFileSync(MODEL), adj.bias, MODEL)));
  });
});
