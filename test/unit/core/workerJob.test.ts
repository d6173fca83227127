import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { workerJob } from '../../../src/core/workerJob';

const ends = {
  crashed: (e: Error) => new Error(`crashed: ${e.message}`),
  exited: (code: number) => new Error(`exited with ${code}`),
};

/** A worker from inline code that echoes each message back and can be told to throw or exit. */
function echoWorker(): Worker {
  return new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => {
       if (m === 'throw') throw new Error('boom');
       if (m === 'exit') process.exit(3);
       parentPort.postMessage(m);
     });`,
    { eval: true },
  );
}

describe('workerJob', () => {
  it('settles with the first outcome only and terminates the thread', async () => {
    const worker = echoWorker();
    const run = workerJob<string>(worker, ends);
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    worker.on('message', (m: string) => {
      run.resolve(m);
      run.reject(new Error('too late'));
    });
    expect(run.settled()).toBe(false);
    worker.postMessage('first');
    worker.postMessage('second');
    await expect(run.result).resolves.toBe('first');
    expect(run.settled()).toBe(true);
    // Terminated by the job: the exit that follows must not turn the outcome into a rejection.
    expect(await exited).toBe(1);
    await expect(run.result).resolves.toBe('first');
  });

  it('rejects with the caller\'s errors when the worker crashes or exits first', async () => {
    const crashing = echoWorker();
    const crash = workerJob<string>(crashing, ends);
    crashing.postMessage('throw');
    await expect(crash.result).rejects.toThrow('crashed: boom');

    const exiting = echoWorker();
    const exit = workerJob<string>(exiting, ends);
    exiting.postMessage('exit');
    await expect(exit.result).rejects.toThrow('exited with 3');
  });

  it('a reject from the caller (a cancel) ends the job before the worker answers', async () => {
    const worker = echoWorker();
    const run = workerJob<string>(worker, ends);
    worker.on('message', (m: string) => run.resolve(m));
    run.reject(new Error('cancelled'));
    worker.postMessage('answer');
    await expect(run.result).rejects.toThrow('cancelled');
  });
});
