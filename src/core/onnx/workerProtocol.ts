// Messages between a caller and the ONNX inference worker (onnxInfer.worker.ts), declared once as valibot
// schemas: the types are inferred from them and every message is checked where it arrives.
import * as v from 'valibot';

const Device = v.picklist(['cpu', 'cuda']);

export const InferJobSchema = v.object({
  model: v.string(),
  device: Device,
  mean: v.optional(v.string()),
  std: v.optional(v.string()),
  /** Classes the logits must have: a model with another output width is refused before inference. */
  numClasses: v.number(),
  /** Labelled splits: every file must decode, so rows stay aligned with labels. */
  splits: v.array(v.object({ name: v.string(), files: v.array(v.string()) })),
});
export type InferJob = v.InferOutput<typeof InferJobSchema>;

export const ToWorkerSchema = v.object({ type: v.literal('start'), job: InferJobSchema });
export type ToWorker = v.InferOutput<typeof ToWorkerSchema>;

const Progress = v.object({
  split: v.string(),
  phase: v.picklist(['decode', 'infer']),
  done: v.number(),
  total: v.number(),
});
export type SplitProgress = v.InferOutput<typeof Progress>;

const Numbers = v.array(v.number());

export const FromWorkerSchema = v.variant('type', [
  v.object({ type: v.literal('progress'), progress: Progress }),
  v.object({
    type: v.literal('result'),
    provider: v.object({ name: Device, reason: v.string() }),
    input: v.object({
      size: v.number(),
      channels: v.picklist([1, 3]),
      layout: v.picklist(['NCHW', 'NHWC']),
      mean: Numbers,
      std: Numbers,
      normSource: v.picklist(['flags', 'metadata', 'default']),
    }),
    numClasses: v.number(),
    splits: v.array(v.object({ name: v.string(), logits: v.instance(Float32Array) })),
  }),
  /** inputError: the model, a flag or an image is at fault (a user error), not the program. */
  v.object({ type: v.literal('error'), message: v.string(), inputError: v.boolean() }),
]);
export type FromWorker = v.InferOutput<typeof FromWorkerSchema>;
export type InferOutcome = Extract<FromWorker, { type: 'result' }>;
