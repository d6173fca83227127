// Worker thread (bundled to dist/import.worker.js) that reads logits files and writes them as a run folder
// (core/import's importRun), so parsing large .npz/.safetensors/CSV files never blocks the extension host.
// The host cancels by terminating the thread and removing the staging folder importRun left.
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import * as v from 'valibot';
import { importRun, readClassList, readPredictions, readTrainCounts } from '../../core/import';
import { isUserError } from '../../core/userError';
import { ImportHostMessageSchema, type ImportJob, type ImportWorkerMessage } from '../../protocol/importWorker';

const port = parentPort;
if (!port) throw new Error('import.worker must run in a worker thread');
const send = (m: ImportWorkerMessage): void => port.postMessage(m);
let started = false;

async function run(job: ImportJob): Promise<void> {
  const classes = readClassList(job.classes);
  const trainCounts = await readTrainCounts(job.trainCounts, classes);
  const record = await importRun({
    dir: job.runDir,
    classes,
    trainCounts,
    loss: job.loss,
    source: 'logits',
    files: job.splits.map((s) => s.file),
    splits: job.splits.map(({ name, file }, i) => ({
      name,
      read: () => {
        send({ type: 'progress', split: name, done: i, total: job.splits.length });
        return readPredictions(file, { labels: 'required', classes });
      },
    })),
    force: false,
  });
  send({
    type: 'result',
    run: {
      name: path.basename(job.runDir),
      numClasses: classes.length,
      splits: record.evalSplits.map((s) => ({ name: s.name, count: s.count, accuracy: record.finalAccuracy[s.name] ?? 0 })),
    },
  });
}

port.on('message', (raw: unknown) => {
  const parsed = v.safeParse(ImportHostMessageSchema, raw);
  if (!parsed.success) {
    send({ type: 'error', message: `import worker got a malformed job: ${parsed.issues[0]?.message}`, input: false });
    return;
  }
  if (started) {
    send({ type: 'error', message: 'This worker is already importing; start another worker for another import.', input: false });
    return;
  }
  started = true;
  run(parsed.output.job).catch((err: unknown) =>
    send({ type: 'error', message: err instanceof Error ? err.message : String(err), input: isUserError(err) }),
  );
});
