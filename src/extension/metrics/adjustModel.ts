// "Export Adjusted Model": the run's TF.js model with the post-compensation bias for a target prior folded
// into the last dense layer (REFERENCE.md: the adjustment is a per-class bias), plus a JSON with that bias
// and its formula for any other framework. No vscode here.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { priorBias, type BiasKind } from '../../core/priors';
import { HEAD } from '../../core/train/models';
import { loadModel, saveModel } from '../../core/train/modelFiles';
import type { RunLossKind } from '../../protocol/metricsPanel';

/** A class the target never sees gets this bias instead of -Infinity: exp(-1e4) is 0 in float32, and JSON can hold it. */
export const NEVER_PREDICT = -1e4;

const FORMULA: Record<RunLossKind, string> = {
  lade: 'adjusted_logits = logits + log(p_t)   (LADE: softmax(z + log p_t))',
  bs: 'adjusted_logits = logits + log(p_t)   (Balanced Softmax: softmax(z + log p_t))',
  ce: 'adjusted_logits = logits - log(p_s) + log(p_t)   (PC Softmax)',
};

export function biasKindOf(loss: RunLossKind): BiasKind {
  return loss === 'ce' ? 'ce-pc' : loss;
}

export interface AdjustmentFile {
  readonly format: 'lade-adjustment';
  readonly version: 1;
  readonly run: string;
  readonly lossKind: RunLossKind;
  readonly prior: string;
  readonly formula: string;
  readonly neverPredict: number;
  readonly classes: readonly string[];
  readonly sourcePrior: readonly number[];
  readonly targetPrior: readonly number[];
  /** Add to the logits (or to the last layer's bias); NEVER_PREDICT where p_t = 0. */
  readonly bias: readonly number[];
}

/** The adjustment as exported: finite everywhere. */
export function adjustment(
  run: { name: string; lossKind: RunLossKind; classes: readonly string[]; trainCounts: readonly number[] },
  target: { label: string; shares: readonly number[] },
): AdjustmentFile {
  const raw = priorBias(biasKindOf(run.lossKind), run.trainCounts, target.shares, { classNames: run.classes });
  const total = run.trainCounts.reduce((a, b) => a + b, 0);
  return {
    format: 'lade-adjustment',
    version: 1,
    run: run.name,
    lossKind: run.lossKind,
    prior: target.label,
    formula: `${FORMULA[run.lossKind]}; a bias of ${NEVER_PREDICT} stands for log(0) (never predicted)`,
    neverPredict: NEVER_PREDICT,
    classes: run.classes,
    sourcePrior: run.trainCounts.map((n) => n / total),
    targetPrior: [...target.shares],
    bias: Array.from(raw, (b) => (b === -Infinity ? NEVER_PREDICT : b)),
  };
}

/** Loads model.json, adds the bias to the HEAD layer's bias, and saves model + adjustment.json into outDir. */
export async function exportAdjustedModel(modelJson: string, adj: AdjustmentFile, outDir: string): Promise<tf.LayersModel> {
  const model = await loadModel(modelJson);
  const head = model.getLayer(HEAD);
  const [kernel, bias] = head.getWeights();
  if (!kernel || !bias) throw new Error(`${modelJson}: the last layer '${HEAD}' has no bias to adjust.`);
  if (bias.size !== adj.bias.length) throw new Error(`${modelJson}: the model has ${bias.size} outputs but the run has ${adj.bias.length} classes.`);
  const adjusted = tf.tidy(() => bias.add(tf.tensor1d([...adj.bias], 'float32')));
  head.setWeights([kernel, adjusted]);
  adjusted.dispose();
  await saveModel(model, outDir);
  writeFileSync(path.join(outDir, 'adjustment.json'), JSON.stringify(adj, null, 2) + '\n');
  return model;
}
