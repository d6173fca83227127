// The LADER regularizer, over all C classes (absent ones too):
//   A_c = sum_i 1[y_i = c] z_ic / (n_c + 1e-8)                                  (0 when c is absent)
//   B_c = logsumexp_i( z_ic - log(p_s(c) + 1e-9) + log(1/C + 1e-9) ) - log N
//   REG = - sum_c p_s(c) * ( A_c - B_c - lambda * B_c^2 )
// The importance weight p_u(c)/p_s(c) belongs to logit column c, as in the official code. Nothing is
// detached: gradients flow through A, B and B^2.
import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, constantVector, COUNT_EPS, logPriorWithEps, oneHotLabels, PRIOR_EPS, sourcePriorOf } from './common';

export interface LadeRegularizerTerms {
  /** n_c: samples of class c in the batch. */
  readonly numSamples: tf.Tensor1D;
  /** A_c */
  readonly firstTerm: tf.Tensor1D;
  /** B_c */
  readonly secondTerm: tf.Tensor1D;
  /** A_c - B_c - lambda B_c^2 */
  readonly estimate: tf.Tensor1D;
  /** p_s(c): the weight of class c in the sum. */
  readonly classWeight: tf.Tensor1D;
}

/** log(1/C + 1e-9) - log(p_s(c) + 1e-9): the per-column importance weight, in log space. */
export function importanceShift(prior: Float64Array): Float64Array {
  const logUniform = Math.log(1 / prior.length + PRIOR_EPS);
  return logPriorWithEps(prior).map((logPs) => logUniform - logPs);
}

export function ladeRegularizerTerms(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  lambda: number,
): LadeRegularizerTerms {
  checkLossInputs(logits, labels, 'LADE regularizer');
  if (!Number.isFinite(lambda)) throw new Error(`LADE regularizer: lambda must be a finite number, got ${lambda}.`);
  const [batch, numClasses] = logits.shape;
  const prior = sourcePriorOf(sourcePrior, numClasses);
  return tf.tidy(() => {
    const y = oneHotLabels(labels, numClasses);
    const numSamples = tf.sum(y, 0) as tf.Tensor1D;
    const firstTerm = tf.div(tf.sum(tf.mul(y, logits), 0), tf.add(numSamples, COUNT_EPS)) as tf.Tensor1D;
    const shifted = tf.add(logits, constantVector(importanceShift(prior)));
    const secondTerm = tf.sub(tf.logSumExp(shifted, 0), Math.log(batch)) as tf.Tensor1D;
    const estimate = tf.sub(tf.sub(firstTerm, secondTerm), tf.mul(lambda, tf.square(secondTerm))) as tf.Tensor1D;
    return { numSamples, firstTerm, secondTerm, estimate, classWeight: constantVector(prior) };
  });
}

/** REG, unweighted (the LADE total adds alpha * REG). */
export function ladeRegularizer(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  lambda: number,
): tf.Scalar {
  return tf.tidy(() => {
    const { estimate, classWeight } = ladeRegularizerTerms(logits, labels, sourcePrior, lambda);
    return tf.neg(tf.sum(tf.mul(classWeight, estimate))) as tf.Scalar;
  });
}
