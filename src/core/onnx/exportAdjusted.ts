// "Export Adjusted Model" for an ONNX run: model-adjusted.onnx, the run's model with the prior's per-class
// bias added to the bias of its final Gemm (or MatMul + Add), checked by running both models: on every
// probe row the adjusted model's argmax must be the argmax of the original logits plus the bias.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { AdjustmentFile } from '../priors/adjustment';
import { Rng } from '../rng';
import { writeFileAtomic } from '../atomicWrite';
import { inputSpec } from './input';
import { addOutputBias } from './modelProto';

export const ADJUSTED_ONNX = 'model-adjusted.onnx';
const PROBE_ROWS = 64;

export interface OnnxExportCheck {
  readonly rows: number;
  /** Largest |adjusted model - (original model + bias)| over the probe logits. */
  readonly maxAbsDiff: number;
}

function argmax(x: Float32Array | Float64Array, row: number, C: number): number {
  let best = 0;
  for (let c = 1; c < C; c++) if (x[row * C + c]! > x[row * C + best]!) best = c;
  return best;
}

async function logitsOf(model: Uint8Array, x: Float32Array, dims: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  try {
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/**
 * Runs both models on seeded standard-normal inputs of the model's shape and compares. Throws when an
 * argmax differs: the bias did not reach the output as a plain per-class addition.
 */
export async function checkAdjusted(original: Uint8Array, adjusted: Uint8Array, bias: readonly number[], file: string): Promise<OnnxExportCheck> {
  const probe = await ort.InferenceSession.create(original, { executionProviders: ['cpu'] });
  const spec = inputSpec(probe.inputMetadata[0]!, file);
  await probe.release();
  const dims = spec.layout === 'NCHW' ? [PROBE_ROWS, spec.channels, spec.size, spec.size] : [PROBE_ROWS, spec.size, spec.size, spec.channels];
  const rng = new Rng(0x0bb5);
  const x = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rng.normal());
  const before = await logitsOf(original, x, dims);
  const after = await logitsOf(adjusted, x, dims);
  const C = bias.length;
  const expected = Float64Array.from(before, (v, k) => v + bias[k % C]!);
  let maxAbsDiff = 0;
  for (let k = 0; k < expected.length; k++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(after[k]! - expected[k]!));
  for (let r = 0; r < PROBE_ROWS; r++) {
    const got = argmax(after, r, C);
    const want = argmax(expected, r, C);
    // A float32 near-tie may pick either class; anything else means the bias was not folded in right.
    const tie = expected[r * C + want]! - expected[r * C + got]! <= 1e-5 * (1 + Math.abs(expected[r * C + want]!));
    if (got !== want && !tie) {
      throw new Error(`${file}: the adjusted model's prediction on probe row ${r} differs from the adjusted logits' (largest logit difference ${maxAbsDiff.toExponential(2)}).`);
    }
  }
  return { rows: PROBE_ROWS, maxAbsDiff };
}

/** Writes outDir/model-adjusted.onnx and outDir/adjustment.json, after checking the adjusted model. */
export async function exportAdjustedOnnx(modelFile: string, adj: AdjustmentFile, outDir: string): Promise<OnnxExportCheck> {
  const original = readFileSync(modelFile);
  const adjusted = addOutputBias(original, adj.bias, modelFile);
  const check = await checkAdjusted(original, adjusted, adj.bias, modelFile);
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(path.join(outDir, ADJUSTED_ONNX), [adjusted]);
  writeFileSync(path.join(outDir, 'adjustment.json'), JSON.stringify(adj, null, 2) + '\n');
  return check;
}
