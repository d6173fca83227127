// Worker-thread entry (bundled to dist/train.worker.js): runs one training run off the host thread and
// reports through the typed messages of workerMessages.ts.
import { parentPort } from 'node:worker_threads';
import { checkMessage } from '../message';
import { HostToWorkerSchema, type HostToWorker, type WorkerToHost } from './workerMessages';
import { parseTestFault, TEST_FAULT_ENV, TEST_FAULT_EXIT_CODE, type TestFault } from './testFault';
import { trainRun } from './trainRun';

const port = parentPort;
if (!port) throw new Error('train.worker must run as a worker thread.');
const post = (msg: WorkerToHost): void => port.postMessage(msg);
let controller: AbortController | undefined;

port.on('message', (raw: unknown) => {
  let msg: HostToWorker;
  try {
    msg = checkMessage(HostToWorkerSchema, raw, 'training worker (from host)');
  } catch (e) {
    post({ type: 'log', level: 'warn', message: `Ignored a message: ${(e as Error).message}` });
    return;
  }
  if (msg.type === 'cancel') {
    controller?.abort();
    return;
  }
  if (controller) {
    post({ type: 'error', message: 'This worker is already training; start another worker for another run.' });
    return;
  }
  let fault: TestFault | undefined;
  try {
    fault = parseTestFault(process.env[TEST_FAULT_ENV]);
  } catch (e) {
    post({ type: 'error', message: (e as Error).message });
    return;
  }
  const run = new AbortController();
  controller = run;
  // Epochs this worker trains; a resumed run first replays its restored history through onEpoch.
  const trained = new Set<number>();
  trainRun(msg.config, {
    signal: run.signal,
    onProgress: (progress) => {
      if (progress.phase === 'train') trained.add(progress.epoch);
      post({ type: 'progress', progress });
    },
    onLog: (level, message) => post({ type: 'log', level, message }),
    onEpoch: (record) => {
      post({ type: 'epoch', record });
      // onEpoch comes after the epoch's checkpoint is on disk: die abruptly, as a crash would.
      if (fault && record.epoch === fault.epoch && trained.has(record.epoch)) process.exit(TEST_FAULT_EXIT_CODE);
    },
  }).then(
    (record) => post({ type: 'result', record }),
    (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
