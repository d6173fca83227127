// Messages between the training loop and a data-parallel replica worker (replica.worker.ts). The replica
// holds a copy of the model, computes gradients on its share of each batch, and applies the averaged
// gradients the loop sends back, so both copies stay identical step after step.
import type { ModelSpec } from './models';
import type { OptimizerKind } from '../runs/config';
import type { LossKind } from '../runs/lossKind';

export interface ReplicaInit {
  readonly type: 'init';
  readonly spec: ModelSpec;
  readonly loss: { readonly loss: LossKind; readonly alpha: number; readonly lambda: number };
  readonly sourcePrior: readonly number[];
  readonly optimizer: { readonly kind: OptimizerKind; readonly momentum: number; readonly weightDecay: number };
  /** All model weights (model.getWeights() order) and the optimizer state to start from. */
  readonly weights: readonly Float32Array[];
  readonly optimizerState: { step: number; slots: { key: string; shape: number[]; values: Float32Array }[] };
}

export type ToReplica =
  | ReplicaInit
  | { readonly type: 'grads'; readonly x: Float32Array; readonly y: Int32Array; readonly shape: readonly number[] }
  | { readonly type: 'apply'; readonly grads: readonly Float32Array[]; readonly lr: number };

export type FromReplica =
  | { readonly type: 'ready' }
  | { readonly type: 'grads'; readonly grads: Float32Array[]; readonly loss: number; readonly correct: number }
  | { readonly type: 'error'; readonly message: string };
