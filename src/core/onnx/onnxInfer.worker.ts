// Worker thread that runs an ONNX model over the files of each split and posts the logits back
// (transferred, not copied). Decoding and inference both stay off the caller's thread.
import { parentPort } from 'node:worker_threads';
import * as v from 'valibot';
import { inferFiles } from './infer';
import { openOnnxModel } from './session';
import { ToWorkerSchema, type FromWorker, type InferJob } from './workerProtocol';

const port = parentPort;
if (!port) throw new Error('onnxInfer.worker must run in a worker thread');
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(job: InferJob): Promise<void> {
  let stage: 'open' | 'infer' = 'open';
  try {
    const model = await openOnnxModel(job.model, job);
    if (model.numClasses !== job.numClasses) {
      throw new Error(`'${job.model}' outputs ${model.numClasses} logits per image but the dataset has ${job.numClasses} classes.`);
    }
    stage = 'infer';
    const splits = [];
    for (const s of job.splits) {
      const { logits } = await inferFiles(model, s.files, { onProgress: (p) => send({ type: 'progress', progress: { split: s.name, ...p } }) });
      splits.push({ name: s.name, logits });
    }
    await model.session.release();
    const { size, channels, layout } = model.input;
    send(
      {
        type: 'result',
        provider: model.provider,
        input: { size, channels, layout, mean: [...model.norm.mean], std: [...model.norm.std], normSource: model.norm.source },
        numClasses: model.numClasses,
        splits,
      },
      splits.map((s) => s.logits.buffer as ArrayBuffer),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Opening fails on the model or the flags; during inference, a file that does not decode is the user's.
    const inputError = stage === 'open' || /^Cannot decode image|is neither a PNG nor a JPEG/.test(message);
    send({ type: 'error', message, inputError });
  }
}

port.once('message', (raw: unknown) => void run(v.parse(ToWorkerSchema, raw).job));
