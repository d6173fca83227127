// LADE-CE, identical to Balanced Softmax:  CE = mean_i -log softmax(z_i + log(p_s + 1e-9))[y_i]
import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, constantVector, logPriorWithEps, sourcePriorOf } from './common';
import { softmaxCrossEntropy } from './softmaxCrossEntropy';

export function ladeCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, sourcePrior: ArrayLike<number>): tf.Scalar {
  checkLossInputs(logits, labels, 'LADE cross-entropy');
  const logPs = logPriorWithEps(sourcePriorOf(sourcePrior, logits.shape[1]));
  return tf.tidy(() => softmaxCrossEntropy(tf.add(logits, constantVector(logPs)), labels));
}
