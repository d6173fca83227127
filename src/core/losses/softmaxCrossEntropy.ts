// Plain softmax cross-entropy:  CE = mean_i -log softmax(z_i)[y_i]
import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, oneHotLabels } from './common';

export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  checkLossInputs(logits, labels, 'softmax cross-entropy');
  return tf.tidy(() => {
    const y = oneHotLabels(labels, logits.shape[1]);
    const logProbOfLabel = tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1);
    return tf.neg(tf.mean(logProbOfLabel)) as tf.Scalar;
  });
}
