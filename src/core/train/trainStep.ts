// One optimisation step: forward in training mode, loss, gradients of the trainable variables, optimizer
// update. Returns the loss and the number of correct argmax predictions of the batch.
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from './optimizer';

export type LossFn = (logits: tf.Tensor2D, labels: tf.Tensor1D) => tf.Scalar;

export interface StepResult {
  readonly loss: number;
  readonly correct: number;
}

/** Forward in training mode, the loss and its gradients; call inside tf.tidy. `hits` (correct argmax
 *  predictions) is kept, since variableGrads disposes what its function made. */
function lossAndGrads(
  model: tf.LayersModel,
  vars: tf.Variable[],
  lossFn: LossFn,
  x: Float32Array,
  y: Int32Array,
  shape: readonly number[],
): { value: tf.Scalar; hits: tf.Scalar; grads: tf.NamedTensorMap } {
  const xs = tf.tensor(x, [...shape]);
  const ys = tf.tensor1d(y, 'int32');
  let hits: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
    hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), ys), 'int32')) as tf.Scalar);
    return lossFn(logits, ys);
  }, vars);
  return { value, hits: hits!, grads };
}

/** Async because GPU backends (webgpu) cannot read tensors synchronously in Node: no OffscreenCanvas. */
export async function trainStep(
  model: tf.LayersModel,
  vars: tf.Variable[],
  optimizer: Optimizer,
  lossFn: LossFn,
  x: Float32Array,
  y: Int32Array,
  shape: readonly number[],
  lr: number,
): Promise<StepResult> {
  const [value, hits] = tf.tidy(() => {
    const r = lossAndGrads(model, vars, lossFn, x, y, shape);
    optimizer.step(r.grads, lr);
    return [r.value, r.hits] as const;
  });
  try {
    const [loss, correct] = await Promise.all([value.data(), hits.data()]);
    return { loss: loss[0]!, correct: correct[0]! };
  } finally {
    value.dispose();
    hits.dispose();
  }
}

export interface GradResult extends StepResult {
  /** Gradients in `vars` order (kept tensors: the caller disposes them). */
  readonly grads: tf.Tensor[];
}

/** Forward and backward only, for data-parallel steps whose update waits for the other replica. */
export function computeGradients(
  model: tf.LayersModel,
  vars: tf.Variable[],
  lossFn: LossFn,
  x: Float32Array,
  y: Int32Array,
  shape: readonly number[],
): GradResult {
  let loss = NaN;
  let correct = 0;
  const grads = tf.tidy(() => {
    const r = lossAndGrads(model, vars, lossFn, x, y, shape);
    loss = r.value.dataSync()[0];
    correct = r.hits.dataSync()[0];
    r.hits.dispose();
    return vars.map((v) => r.grads[v.name]);
  });
  return { loss, correct, grads };
}
