// Export Adjusted Model for ONNX runs: the bias lands in the final Gemm, the adjusted model's logits are the
// original's plus the bias on real images, and a wrong fold is caught by the export's own check.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADJUSTED_ONNX, checkAdjusted, exportAdjustedOnnx } from '../../../../src/core/onnx/exportAdjusted';
import { inferFiles } from '../../../../src/core/onnx/infer';
import { addOutputBias, findOutputBias, initializerFloats, readGraph } from '../../../../src/core/onnx/modelProto';
import { openOnnxModel } from '../../../../src/core/onnx/session';
import { adjustment } from '../../../../src/core/priors/adjustment';

const FIXTURES = path.resolve('test/fixtures/onnx');
const MODEL = path.join(FIXTURES, 'tiny.onnx');
const IMAGES = ['val/Dog/0.png', 'val/Dog/1.png', 'val/bird/0.png', 'val/cat/0.png', 'test/cat/1.png'].map((f) => path.join(FIXTURES, 'data', f));

let dir: string;
beforeAll(() => void (dir = mkdtempSync(path.join(os.tmpdir(), 'lade-onnx-export-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const argmax = (x: ArrayLike<number>, r: number, C: number): number => {
  let best = 0;
  for (let c = 1; c < C; c++) if (x[r * C + c]! > x[r * C + best]!) best = c;
  return best;
};

describe('addOutputBias', () => {
  it("adds the delta to the final Gemm's bias and keeps every other initializer byte for byte", () => {
    const bytes = readFileSync(MODEL);
    const delta = [0.5, -1.25, 3];
    const out = addOutputBias(bytes, delta, MODEL);
    const before = readGraph(bytes, MODEL);
    const after = readGraph(out, MODEL);
    const bias = findOutputBias(after, MODEL).initializer;
    const old = initializerFloats(findOutputBias(before, MODEL).initializer);
    expect([...initializerFloats(bias)]).toEqual([...old].map((v, c) => Math.fround(v + delta[c]!)));
    expect(after.nodes).toEqual(before.nodes);
    for (const [name, init] of before.initializers) {
      if (name !== bias.name) expect([...initializerFloats(after.initializers.get(name)!)]).toEqual([...initializerFloats(init)]);
    }
  });

  it('refuses a bias of the wrong width', () => {
    expect(() => addOutputBias(readFileSync(MODEL), [1, 2], MODEL)).toThrow(/has 3 values but the run has 2 classes/);
  });
});

describe('exportAdjustedOnnx', () => {
  it('writes model-adjusted.onnx whose logits are the original logits plus the bias on real images', async () => {
    const adj = adjustment({ name: 'tiny', lossKind: 'lade', classes: ['Dog', 'bird', 'cat'], trainCounts: [3, 2, 5] }, { label: 'skewed', shares: [0.1, 0.7, 0.2] });
    const check = await exportAdjustedOnnx(MODEL, adj, dir);
    expect(check.maxAbsDiff).toBeLessThan(1e-4);
    expect(JSON.parse(readFileSync(path.join(dir, 'adjustment.json'), 'utf8')).bias).toEqual(adj.bias);
    const original = await openOnnxModel(MODEL);
    const adjusted = await openOnnxModel(path.join(dir, ADJUSTED_ONNX));
    const a = await inferFiles(original, IMAGES);
    const b = await inferFiles(adjusted, IMAGES);
    const C = 3;
    for (let r = 0; r < IMAGES.length; r++) {
      for (let c = 0; c < C; c++) expect(b.logits[r * C + c]!).toBeCloseTo(a.logits[r * C + c]! + adj.bias[c]!, 4);
      expect(argmax(b.logits, r, C)).toBe(argmax(Float64Array.from(a.logits, (v, k) => v + adj.bias[k % C]!), r, C));
    }
    // The adjustment must change some prediction, or this test could not tell a fold from a copy.
    expect([0, 1, 2, 3, 4].some((r) => argmax(a.logits, r, C) !== argmax(b.logits, r, C))).toBe(true);
    await Promise.all([original.session.release(), adjusted.session.release()]);
  });

  it("the export's check fails when the model does not carry the bias it claims", async () => {
    const bytes = readFileSync(MODEL);
    const folded = addOutputBias(bytes, [0, 0, 8], MODEL);
    await expect(checkAdjusted(bytes, folded, [8, 0, 0], MODEL)).rejects.toThrow(/prediction on probe row \d+ differs/);
    await expect(checkAdjusted(bytes, folded, [0, 0, 8], MODEL)).resolves.toMatchObject({ rows: 64 });
  });

  it('runs on onnxruntime as an ordinary model (dynamic batch kept)', async () => {
    const session = await ort.InferenceSession.create(path.join(dir, ADJUSTED_ONNX));
    expect(session.inputMetadata[0]).toMatchObject({ shape: ['batch', 3, 16, 16] });
    await session.release();
  });
});
