// What bench:train and the GPU device check (scripts/gpu-check.ts) time: one training step at batch 128 of
// the small CNN on 28x28x1 and ResNet-20 on 32x32x3, from the same seeded model, optimizer and batch.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/core/rng';
import { buildModel, type ModelSpec } from '../src/core/train/models';
import { Optimizer, type OptimizerOptions } from '../src/core/train/optimizer';
import { lossFunction } from '../src/core/train/trainRun';
import type { LossFn } from '../src/core/train/trainStep';
import type { ModelKind, TrainConfig } from '../src/protocol/training';

export const BATCH = 128;

export interface BenchNet {
  readonly kind: ModelKind;
  readonly size: number;
  readonly channels: number;
  readonly label: string;
}

export const NETS: readonly BenchNet[] = [
  { kind: 'cnn', size: 28, channels: 1, label: 'CNN 28x28x1' },
  { kind: 'resnet20', size: 32, channels: 3, label: 'ResNet-20 32x32x3' },
];

export const OPTIMIZER: OptimizerOptions = { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 };
export const SOURCE_PRIOR: readonly number[] = new Array(10).fill(0.1);

export function netSpec(net: BenchNet): ModelSpec {
  return { kind: net.kind, size: net.size, channels: net.channels, numClasses: 10, width: 16 };
}

export interface StepSetup {
  readonly model: tf.LayersModel;
  readonly vars: tf.Variable[];
  readonly opt: Optimizer;
  readonly loss: LossFn;
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly shape: readonly [number, number, number, number];
}

/** A fresh seeded model, its SGD optimizer and one random batch; the caller disposes model and opt. */
export function setupStep(net: BenchNet, loss: Pick<TrainConfig, 'loss' | 'alpha' | 'lambda'>): StepSetup {
  const rng = new Rng(1);
  const model = buildModel(netSpec(net), rng);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = new Optimizer(vars, OPTIMIZER);
  const x = Float32Array.from({ length: BATCH * net.size * net.size * net.channels }, () => rng.normal());
  const y = Int32Array.from({ length: BATCH }, () => rng.int(10));
  return { model, vars, opt, loss: lossFunction(loss, SOURCE_PRIOR), x, y, shape: [BATCH, net.size, net.size, net.channels] };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
