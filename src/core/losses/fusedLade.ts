// The LADE loss with its closed-form gradient, so training does not pay for autodiff through the
// logsumexp over the batch axis. With q_i = softmax(z_i + log(p_s + 1e-9)) (over classes) and
// s_ic = softmax over the batch axis of column c:
//   dCE/dz_ic  = ( q_ic - 1[y_i = c] ) / N
//   dREG/dz_ic = -p_s(c) 1[y_i = c] / (n_c + 1e-8) + p_s(c) (1 + 2 lambda B_c) s_ic
import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, constantVector, COUNT_EPS, logPriorWithEps, oneHotLabels, sourcePriorOf } from './common';
import { ladeOptions, type LadeOptions } from './ladeLoss';
import { importanceShift } from './ladeRegularizer';

export interface LadeLossWithGradients {
  readonly total: tf.Scalar;
  readonly ce: tf.Scalar;
  readonly reg: tf.Scalar;
  readonly gradTotal: tf.Tensor2D;
  readonly gradCe: tf.Tensor2D;
  readonly gradReg: tf.Tensor2D;
}

/** Forward values and closed-form gradients (with respect to the logits) in one pass, no tape. */
export function ladeLossWithGradients(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  opts?: LadeOptions,
): LadeLossWithGradients {
  checkLossInputs(logits, labels, 'fused LADE loss');
  const { alpha, lambda } = ladeOptions(opts);
  const [batch, numClasses] = logits.shape;
  const prior = sourcePriorOf(sourcePrior, numClasses);
  return tf.tidy(() => {
    const y = oneHotLabels(labels, numClasses);
    const ps = constantVector(prior);

    const logQ = tf.logSoftmax(tf.add(logits, constantVector(logPriorWithEps(prior))));
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(y, logQ), 1))) as tf.Scalar;
    const gradCe = tf.div(tf.sub(tf.exp(logQ), y), batch) as tf.Tensor2D;

    const numSamples = tf.sum(y, 0);
    const countScale = tf.div(ps, tf.add(numSamples, COUNT_EPS)); // p_s(c) / (n_c + 1e-8)
    const firstTerm = tf.sum(tf.mul(y, tf.mul(logits, countScale)), 0); // p_s(c) A_c
    const shifted = tf.add(logits, constantVector(importanceShift(prior)));
    const logSum = tf.logSumExp(shifted, 0, true); // 1 x C
    const secondTerm = tf.sub(tf.reshape(logSum, [numClasses]), Math.log(batch)); // B_c
    const weightedB = tf.mul(ps, tf.add(secondTerm, tf.mul(lambda, tf.square(secondTerm))));
    // REG = sum_c p_s(c) (B_c + lambda B_c^2) - sum_c p_s(c) A_c
    const reg = tf.sub(tf.sum(weightedB), tf.sum(firstTerm)) as tf.Scalar;
    const columnSoftmax = tf.exp(tf.sub(shifted, logSum));
    const bScale = tf.mul(ps, tf.add(1, tf.mul(2 * lambda, secondTerm)));
    const gradReg = tf.sub(tf.mul(bScale, columnSoftmax), tf.mul(y, countScale)) as tf.Tensor2D;

    const total = tf.add(ce, tf.mul(alpha, reg)) as tf.Scalar;
    const gradTotal = tf.add(gradCe, tf.mul(alpha, gradReg)) as tf.Tensor2D;
    return { total, ce, reg, gradTotal, gradCe, gradReg };
  });
}

/** LADE total whose gradient is the closed form above (tf.customGrad); agrees with ladeLoss().total. */
export function fusedLadeLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  opts?: LadeOptions,
): tf.Scalar {
  const withGrad = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const parts = ladeLossWithGradients(z, labels, sourcePrior, opts);
    tf.dispose([parts.ce, parts.reg, parts.gradCe, parts.gradReg]);
    save([parts.gradTotal]);
    return {
      value: parts.total,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
    };
  });
  return withGrad(logits) as tf.Scalar;
}
