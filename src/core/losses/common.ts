// Shared pieces of the loss modules: input checks, one-hot labels and the epsilon-guarded log prior.
import * as tf from '@tensorflow/tfjs';
import { parsePrior } from '../priors';

/** log(p_s + 1e-9): the official code's guard, so a class with no training images gets log(1e-9). */
export const PRIOR_EPS = 1e-9;
/** A_c divides by n_c + 1e-8, which makes A_c = 0 for classes absent from the batch. */
export const COUNT_EPS = 1e-8;

/** Throws unless logits are N x C (C >= 1, N >= 1) and labels an int32 vector of length N. */
export function checkLossInputs(logits: tf.Tensor2D, labels: tf.Tensor1D, loss: string): void {
  if (logits.rank !== 2) throw new Error(`${loss}: logits must be a 2-D tensor [batch, classes], got shape [${logits.shape}].`);
  if (labels.rank !== 1) throw new Error(`${loss}: labels must be a 1-D tensor [batch], got shape [${labels.shape}].`);
  if (labels.dtype !== 'int32') throw new Error(`${loss}: labels must be int32 class indices, got ${labels.dtype}.`);
  const [n, c] = logits.shape;
  if (n < 1 || c < 1) throw new Error(`${loss}: logits must hold at least one sample and one class, got [${logits.shape}].`);
  if (labels.shape[0] !== n) throw new Error(`${loss}: ${n} rows of logits but ${labels.shape[0]} labels.`);
}

/** Float one-hot labels (N x C). Products with it replace gather, whose gradient the wasm backend lacks. */
export function oneHotLabels(labels: tf.Tensor1D, numClasses: number): tf.Tensor2D {
  // tf.oneHot wants depth >= 2; with one class every label is that class.
  if (numClasses === 1) return tf.ones([labels.shape[0], 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(labels, numClasses), 'float32') as tf.Tensor2D);
}

/** The validated, normalised source prior p_s for C classes. */
export function sourcePriorOf(sourcePrior: ArrayLike<number>, numClasses: number): Float64Array {
  return parsePrior(sourcePrior, numClasses, 'source prior');
}

/** log(p + 1e-9), computed in float64 before the float32 tensor is made. */
export function logPriorWithEps(prior: Float64Array): Float64Array {
  return prior.map((p) => Math.log(p + PRIOR_EPS));
}

/** A float32 constant vector from float64 values (tensor1d takes no Float64Array). */
export function constantVector(values: Float64Array): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(values));
}
