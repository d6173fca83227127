// Worker thread for "Export Adjusted Model": TF.js stays off the extension host (and out of its bundle).
import { parentPort } from 'node:worker_threads';
import { exportAdjustedModel } from '../../core/train/exportAdjusted';
import { initBackend } from '../../core/tf/backend';
import { checkMessage } from '../../core/message';
import { ExportHostMessageSchema, type ExportWorkerMessage } from '../../protocol/exportWorker';

const port = parentPort;
if (!port) throw new Error('export.worker must run in a worker thread');
const send = (m: ExportWorkerMessage) => port.postMessage(m);

port.once('message', (raw: unknown) => {
  (async () => {
    const { job } = checkMessage(ExportHostMessageSchema, raw, 'export worker (from host)');
    if (job.modelJson.endsWith('.onnx')) {
      // An ONNX run: model-adjusted.onnx, checked by running it on onnxruntime's CPU runtime.
      const { exportAdjustedOnnx } = await import('../../core/onnx/exportAdjusted');
      const check = await exportAdjustedOnnx(job.modelJson, job.adjustment, job.outDir);
      send({ type: 'done', backend: { name: 'onnxruntime-cpu', reason: `checked on ${check.rows} probe rows, largest logit difference ${check.maxAbsDiff.toExponential(1)}` } });
      return;
    }
    // TF.js needs a backend before it loads a model: the user's choice, as training uses it.
    const backend = await initBackend(job.backend);
    (await exportAdjustedModel(job.modelJson, job.adjustment, job.outDir)).dispose();
    send({ type: 'done', backend });
  })().catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
