// The LADE total:  L = CE + alpha * REG  (the target prior is never used in training).
import * as tf from '@tensorflow/tfjs';
import { ladeCrossEntropy } from './ladeCrossEntropy';
import { ladeRegularizer } from './ladeRegularizer';

export interface LadeOptions {
  /** Weight of the regularizer (default 0.1, the authors' CIFAR-100-LT value). */
  readonly alpha?: number;
  /** Weight of B_c^2 inside the regularizer (default 0.01, the authors' CIFAR-100-LT value). */
  readonly lambda?: number;
}

export const DEFAULT_LADE_ALPHA = 0.1;
export const DEFAULT_LADE_LAMBDA = 0.01;

export function ladeOptions(opts: LadeOptions = {}): { alpha: number; lambda: number } {
  const alpha = opts.alpha ?? DEFAULT_LADE_ALPHA;
  const lambda = opts.lambda ?? DEFAULT_LADE_LAMBDA;
  if (!Number.isFinite(alpha)) throw new Error(`LADE loss: alpha must be a finite number, got ${alpha}.`);
  if (!Number.isFinite(lambda)) throw new Error(`LADE loss: lambda must be a finite number, got ${lambda}.`);
  return { alpha, lambda };
}

export function ladeLoss(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  sourcePrior: ArrayLike<number>,
  opts?: LadeOptions,
): { total: tf.Scalar; ce: tf.Scalar; reg: tf.Scalar } {
  const { alpha, lambda } = ladeOptions(opts);
  return tf.tidy(() => {
    const ce = ladeCrossEntropy(logits, labels, sourcePrior);
    const reg = ladeRegularizer(logits, labels, sourcePrior, lambda);
    return { total: tf.add(ce, tf.mul(alpha, reg)) as tf.Scalar, ce, reg };
  });
}
