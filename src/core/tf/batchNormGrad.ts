// The gradient of FusedBatchNorm with broadcasting instead of tfjs-core's tile of 1/sqrt(var + eps) to the
// full activation shape: that Tile was the most expensive kernel of a ResNet step on wasm. Same formulas
// otherwise; mean and variance are inputs of the kernel, so their gradients flow on through the moments.
import * as tf from '@tensorflow/tfjs';

function reduceTo(t: tf.Tensor, like: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (like.rank !== 1) return t.reshape(like.shape);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  return tf.sum(t, axes).reshape(like.shape);
}

let registered = false;

export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const g = dy as tf.Tensor;
      const [x, mean, variance, scale] = saved;
      const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
      const scaleValue = scale ?? tf.scalar(1);
      const invStd = tf.rsqrt(tf.add(variance, eps));
      const centred = tf.sub(x, mean);
      const gScaled = tf.mul(g, scaleValue);
      return {
        x: () => tf.mul(gScaled, invStd),
        mean: () => reduceTo(tf.neg(tf.mul(gScaled, invStd)), mean, x),
        variance: () => reduceTo(tf.mul(tf.mul(gScaled, centred), tf.mul(tf.pow(invStd, 3), -0.5)), variance, x),
        scale: () => reduceTo(tf.mul(g, tf.mul(centred, invStd)), scale ?? mean, x),
        offset: () => reduceTo(g, mean, x),
      };
    },
  });
}
