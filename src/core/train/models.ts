// The networks trained from scratch: a small CNN (conv32-pool-conv64-pool-dense128-head) and a CIFAR-style
// ResNet-20 (3 stages of 3 basic blocks, widths w, 2w, 4w, 1x1 projection shortcuts where the shape
// changes). Every model ends in a layer named FEATURES (the penultimate activations) and a dense HEAD, so
// fine-tuning and head retuning find them by name. Weights are initialised from the run's seeded
// generator (He-normal convolutions, PyTorch-style uniform dense layers) so a seed repeats a run exactly.
import * as tf from '@tensorflow/tfjs';
import type { ModelKind } from '../runs/config';
import type { Rng } from '../rng';

export const FEATURES = 'features';
export const HEAD = 'logits';

export interface ModelSpec {
  readonly kind: ModelKind;
  readonly size: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly width: number;
}

function conv(filters: number, kernel: number, strides: number, name: string): tf.layers.Layer {
  return tf.layers.conv2d({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, name });
}

function bn(name: string): tf.layers.Layer {
  // Keras momentum 0.9 is PyTorch's momentum 0.1.
  return tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });
}

function buildCnn(spec: ModelSpec): tf.LayersModel {
  const input = tf.input({ shape: [spec.size, spec.size, spec.channels], name: 'image' });
  let h = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }).apply(input);
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(h);
  h = tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2' }).apply(h);
  h = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(h);
  h = tf.layers.flatten({ name: 'flatten' }).apply(h);
  h = tf.layers.dense({ units: 128, activation: 'relu', name: FEATURES }).apply(h);
  const out = tf.layers.dense({ units: spec.numClasses, name: HEAD }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'cnn' });
}

function basicBlock(x: tf.SymbolicTensor, filters: number, strides: number, name: string): tf.SymbolicTensor {
  const inFilters = x.shape[3];
  let h = conv(filters, 3, strides, `${name}_conv1`).apply(x);
  h = bn(`${name}_bn1`).apply(h);
  h = tf.layers.reLU({ name: `${name}_relu1` }).apply(h);
  h = conv(filters, 3, 1, `${name}_conv2`).apply(h);
  h = bn(`${name}_bn2`).apply(h);
  let shortcut: tf.SymbolicTensor = x;
  if (strides !== 1 || inFilters !== filters) {
    shortcut = bn(`${name}_proj_bn`).apply(conv(filters, 1, strides, `${name}_proj`).apply(x)) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([h as tf.SymbolicTensor, shortcut]);
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as tf.SymbolicTensor;
}

function buildResnet20(spec: ModelSpec): tf.LayersModel {
  const w = spec.width;
  const input = tf.input({ shape: [spec.size, spec.size, spec.channels], name: 'image' });
  let h = conv(w, 3, 1, 'stem_conv').apply(input);
  h = bn('stem_bn').apply(h);
  let x = tf.layers.reLU({ name: 'stem_relu' }).apply(h) as tf.SymbolicTensor;
  [w, 2 * w, 4 * w].forEach((filters, stage) => {
    for (let b = 0; b < 3; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1, `s${stage + 1}b${b + 1}`);
  });
  const features = tf.layers.globalAveragePooling2d({ name: FEATURES }).apply(x);
  const out = tf.layers.dense({ units: spec.numClasses, name: HEAD }).apply(features) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'resnet20' });
}

export function buildModel(spec: ModelSpec, rng: Rng): tf.LayersModel {
  const model = spec.kind === 'cnn' ? buildCnn(spec) : buildResnet20(spec);
  initialiseWeights(model, rng);
  return model;
}

/** Seeded initialisation of every weight, replacing tfjs's unseeded defaults. */
export function initialiseWeights(model: tf.LayersModel, rng: Rng, only?: (layer: tf.layers.Layer) => boolean): void {
  for (const layer of model.layers) {
    if (only && !only(layer)) continue;
    const values = layer.getWeights().map((w, k) => {
      const name = layer.weights[k].originalName;
      const n = w.size;
      const data = new Float32Array(n);
      if (name.endsWith('kernel')) {
        const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
        if (w.rank === 4) {
          const std = Math.sqrt(2 / fanIn);
          for (let i = 0; i < n; i++) data[i] = rng.normal() * std;
        } else {
          const bound = 1 / Math.sqrt(fanIn);
          for (let i = 0; i < n; i++) data[i] = (2 * rng.next() - 1) * bound;
        }
      } else if (name.endsWith('gamma') || name.endsWith('moving_variance')) {
        data.fill(1);
      }
      return tf.tensor(data, w.shape);
    });
    if (values.length > 0) {
      layer.setWeights(values);
      tf.dispose(values);
    }
  }
}

/** Replaces `model`'s head with a fresh numClasses-way dense layer on its FEATURES output (fine-tuning). */
export function withNewHead(model: tf.LayersModel, numClasses: number, rng: Rng, freezeBackbone: boolean): tf.LayersModel {
  // Our models name the penultimate layer; for others take the layer before the last.
  const featureLayer = model.layers.find((l) => l.name === FEATURES) ?? model.layers[model.layers.length - 2];
  if (!featureLayer) throw new Error(`Model '${model.name}' has too few layers to replace its head.`);
  const features = featureLayer.output as tf.SymbolicTensor;
  for (const layer of model.layers) layer.trainable = !freezeBackbone;
  const head = tf.layers.dense({ units: numClasses, name: `${HEAD}_new` });
  const out = head.apply(features) as tf.SymbolicTensor;
  const next = tf.model({ inputs: model.inputs, outputs: out, name: `${model.name}_finetuned` });
  initialiseWeights(next, rng, (l) => l === head);
  return next;
}

/**
 * Splits a model at its last (dense) layer: the backbone up to the head's input, and a head-only model
 * that shares the head layer's weights, for training the head on cached features.
 */
export function splitAtHead(model: tf.LayersModel): { features: tf.LayersModel; head: tf.LayersModel } {
  const headLayer = model.layers[model.layers.length - 1];
  const featureTensor = headLayer.input as tf.SymbolicTensor;
  const features = tf.model({ inputs: model.inputs, outputs: featureTensor });
  const input = tf.input({ shape: featureTensor.shape.slice(1) as number[] });
  const head = tf.model({ inputs: input, outputs: headLayer.apply(input) as tf.SymbolicTensor });
  return { features, head };
}
