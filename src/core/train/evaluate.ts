// Runs a model over a cached split: the logits that evalFiles.ts writes into the run folder.
import * as tf from '@tensorflow/tfjs';
import { fillBatch, type BatchShape } from './batches';
import type { PixelSource } from './pixelCache';

const EVAL_BATCH = 256;

export async function computeLogits(
  model: tf.LayersModel,
  source: PixelSource,
  labels: Int32Array,
  shape: BatchShape,
  onBatch?: (done: number, total: number) => void,
): Promise<Float32Array> {
  const n = labels.length;
  const numClasses = (model.outputs[0].shape[1] as number) ?? 0;
  const logits = new Float32Array(n * numClasses);
  const batches = Math.ceil(n / EVAL_BATCH);
  for (let b = 0; b < batches; b++) {
    const start = b * EVAL_BATCH;
    const count = Math.min(EVAL_BATCH, n - start);
    const idx = Int32Array.from({ length: count }, (_, k) => start + k);
    const x = new Float32Array(count * source.sampleBytes);
    fillBatch(source, labels, idx, shape, x, new Int32Array(count));
    const out = tf.tidy(() => {
      const input = tf.tensor4d(x, [count, shape.size, shape.size, shape.channels]);
      return model.apply(input, { training: false }) as tf.Tensor;
    });
    logits.set((await out.data()) as Float32Array, start * numClasses);
    out.dispose();
    onBatch?.(b + 1, batches);
    await new Promise((r) => setImmediate(r));
  }
  return logits;
}
