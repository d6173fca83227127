// Logit-adjusted cross-entropy (Menon et al.):  CE = mean_i -log softmax(z_i + tau log(p_s + 1e-9))[y_i]
// The epsilon is LADE's, so tau = 1 is exactly LADE-CE / Balanced Softmax.
import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, constantVector, logPriorWithEps, sourcePriorOf } from './common';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';

export function logitAdjustedCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  tau = 1,
): tf.Scalar {
  checkLossInputs(logits, labels, 'logit-adjusted cross-entropy');
  if (!Number.isFinite(tau)) throw new Error(`logit-adjusted cross-entropy: tau must be a finite number, got ${tau}.`);
  const adjustment = logPriorWithEps(sourcePriorOf(sourcePrior, logits.shape[1])).map((l) => tau * l);
  return tf.tidy(() => softmaxCrossEntropy(tf.add(logits, constantVector(adjustment)), labels));
}
