// Messages between the training loop and a data-parallel replica worker (replica.worker.ts). The replica
// holds a copy of the model, computes gradients on its share of each batch, and applies the averaged
// gradients the loop sends back, so both copies stay identical step after step. A request that expects a
// reply (init, grads) carries an id and its reply the same id; 'apply' expects none.
import * as v from 'valibot';
import { MODEL_KINDS, OPTIMIZER_KINDS } from '../runs/config';
import { TFJS_LOSSES } from '../runs/lossKind';

const finite = v.pipe(v.number(), v.finite());
const whole = v.pipe(v.number(), v.integer(), v.minValue(0));
const floats = v.custom<Float32Array>((x) => x instanceof Float32Array, 'must be a Float32Array');
const readonlyList = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.readonly());
const RequestId = whole;


const ReplicaInitSchema = v.object({
  type: v.literal('init'),
  id: RequestId,
  spec: v.object({ kind: v.picklist(MODEL_KINDS), size: whole, channels: whole, numClasses: whole, width: whole }),
  loss: v.object({ loss: v.picklist(TFJS_LOSSES), alpha: finite, lambda: finite }),
  sourcePrior: readonlyList(finite),
  optimizer: v.object({ kind: v.picklist(OPTIMIZER_KINDS), momentum: finite, weightDecay: finite }),
  /** All model weights (model.getWeights() order) and the optimizer state to start from. */
  weights: readonlyList(floats),
  optimizerState: v.object({ step: whole, slots: v.array(v.object({ key: v.string(), shape: v.array(whole), values: floats })) }),
});
export type ReplicaInit = v.InferOutput<typeof ReplicaInitSchema>;

export const ToReplicaSchema = v.variant('type', [
  ReplicaInitSchema,
  v.object({ type: v.literal('grads'), id: RequestId, x: floats, y: v.custom<Int32Array>((x) => x instanceof Int32Array, 'must be an Int32Array'), shape: readonlyList(whole) }),
  v.object({ type: v.literal('apply'), grads: readonlyList(floats), lr: finite }),
]);
export type ToReplica = v.InferOutput<typeof ToReplicaSchema>;

export const FromReplicaSchema = v.variant('type', [
  v.object({ type: v.literal('ready'), id: RequestId }),
  v.object({ type: v.literal('grads'), id: RequestId, grads: v.array(floats), loss: v.number(), correct: whole }),
  /** id: the request that failed; absent when the replica cannot tell (then every request fails). */
  v.object({ type: v.literal('error'), id: v.optional(RequestId), message: v.string() }),
]);
export type FromReplica = v.InferOutput<typeof FromReplicaSchema>;

/** The requests that expect a reply, and the reply each one gets. */
export interface ReplicaReplies {
  readonly init: Extract<FromReplica, { type: 'ready' }>;
  readonly grads: Extract<FromReplica, { type: 'grads' }>;
}
export const REPLY_TYPE: { readonly [K in keyof ReplicaReplies]: ReplicaReplies[K]['type'] } = { init: 'ready', grads: 'grads' };
export type ReplicaRequest<K extends keyof ReplicaReplies> = Omit<Extract<ToReplica, { type: K }>, 'id'>;
