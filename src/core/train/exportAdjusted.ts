// "Export Adjusted Model": the run's TF.js model with the post-compensation bias for a target prior folded
// into the last dense layer (docs/math.md, section 3: the adjustment is a per-class bias). Runs in a worker thread.
import { UserError } from '../userError';
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdjustmentFile } from '../priors/adjustment';
import { loadModel, saveModel } from './modelFiles';
import { HEAD } from './models';

/** Loads model.json, adds the bias to the HEAD layer's bias, and saves model + adjustment.json into outDir. */
export async function exportAdjustedModel(modelJson: string, adj: AdjustmentFile, outDir: string): Promise<tf.LayersModel> {
  const model = await loadModel(modelJson);
  const head = model.getLayer(HEAD);
  const [kernel, bias] = head.getWeights();
  if (!kernel || !bias) throw new UserError(`${modelJson}: the last layer '${HEAD}' has no bias to adjust.`);
  if (bias.size !== adj.bias.length) throw new UserError(`${modelJson}: the model has ${bias.size} outputs but the run has ${adj.bias.length} classes.`);
  const adjusted = tf.tidy(() => bias.add(tf.tensor1d([...adj.bias], 'float32')));
  head.setWeights([kernel, adjusted]);
  adjusted.dispose();
  await saveModel(model, outDir);
  writeFileSync(path.join(outDir, 'adjustment.json'), JSON.stringify(adj, null, 2) + '\n');
  return model;
}
