// Worker thread that scans a dataset so the extension host never blocks on file-system walks.
import { parentPort } from 'node:worker_threads';
import { analyzeDataset } from '../../core/dataset';
import { checkMessage } from '../../core/message';
import { ScanHostMessageSchema, type ScanWorkerMessage } from '../../protocol/scanWorker';

const port = parentPort;
if (!port) throw new Error('scan.worker must run in a worker thread');

const abort = new AbortController();
const send = (m: ScanWorkerMessage) => port.postMessage(m);

port.on('message', (raw: unknown) => {
  let m;
  try {
    m = checkMessage(ScanHostMessageSchema, raw, 'scan worker (from host)');
  } catch (err) {
    send({ type: 'error', message: (err as Error).message, cancelled: false });
    return;
  }
  if (m.type === 'cancel') {
    abort.abort();
    return;
  }
  const { job } = m;
  analyzeDataset(job.root, {
    manifest: job.manifest,
    validate: job.validate,
    ignore: [...job.ignore],
    stats: { manyThreshold: job.manyThreshold, fewThreshold: job.fewThreshold, beta: job.beta },
    signal: abort.signal,
    onProgress: (p) => send({ type: 'progress', progress: p }),
  }).then(
    (result) => send({ type: 'result', result }),
    (err: unknown) =>
      send({ type: 'error', message: err instanceof Error ? err.message : String(err), cancelled: abort.signal.aborted }),
  );
});
