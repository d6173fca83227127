// Two-way data parallelism for single-threaded wasm: the loop's engine and one replica worker each take
// half of every batch, the gradients are averaged (weighted by each half's size), and both apply the same
// update. Batch-norm statistics are per half, as in PyTorch DDP without SyncBN, and the LADE regularizer's
// batch terms are taken per half too: a close, not identical, objective to the single-engine run.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Optimizer } from './optimizer';
import type { FromReplica, ReplicaInit, ToReplica } from './replicaProtocol';
import { computeGradients, type LossFn, type StepResult } from './trainStep';

export function defaultReplicaPath(): string {
  return path.join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'replica.worker.js');
}

export class ReplicaPair {
  private pending: ((msg: FromReplica) => void) | undefined;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: FromReplica) => {
      if (msg.type === 'error') this.fail(new Error(`Data-parallel replica failed: ${msg.message}`));
      else this.pending?.(msg);
    });
    worker.on('error', (e) => this.fail(new Error(`Data-parallel replica crashed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`Data-parallel replica exited (code ${code}).`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.({ type: 'error', message: e.message });
  }

  private request(msg: ToReplica, transfer: ArrayBuffer[] = []): Promise<FromReplica> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = (reply) => {
        this.pending = undefined;
        if (reply.type === 'error') reject(this.failure ?? new Error(reply.message));
        else resolve(reply);
      };
      this.worker.postMessage(msg, transfer);
    });
  }

  static async start(init: ReplicaInit, workerPath = defaultReplicaPath()): Promise<ReplicaPair> {
    if (!existsSync(workerPath)) throw new Error(`Replica worker script not found at '${workerPath}' (run npm run build).`);
    const pair = new ReplicaPair(new Worker(workerPath));
    await pair.request(init);
    return pair;
  }

  /**
   * One data-parallel step: the replica takes rows [half, n), this engine rows [0, half); the gradients are
   * averaged with weights half/n and (n-half)/n, applied here and sent to the replica to apply.
   */
  async step(
    model: tf.LayersModel,
    vars: tf.Variable[],
    optimizer: Optimizer,
    lossFn: LossFn,
    x: Float32Array,
    y: Int32Array,
    shape: readonly number[],
    lr: number,
  ): Promise<StepResult> {
    const n = shape[0];
    const half = Math.ceil(n / 2);
    const row = x.length / n;
    const theirs = this.request({ type: 'grads', x: x.slice(half * row), y: y.slice(half), shape: [n - half, ...shape.slice(1)] });
    // Compute our half while the replica computes its half; the request above is already posted.
    const ours = computeGradients(model, vars, lossFn, x.subarray(0, half * row), y.subarray(0, half), [half, ...shape.slice(1)]);
    const reply = await theirs.catch((e: unknown) => {
      tf.dispose(ours.grads);
      throw e;
    });
    if (reply.type !== 'grads') throw new Error('Data-parallel replica sent an unexpected reply.');
    const wOurs = half / n;
    const averaged = tf.tidy(() =>
      ours.grads.map((g, i) => tf.add(tf.mul(g, wOurs), tf.mul(tf.tensor(reply.grads[i], g.shape), 1 - wOurs))),
    );
    tf.dispose(ours.grads);
    const flat = averaged.map((g) => g.dataSync().slice() as Float32Array);
    this.worker.postMessage({ type: 'apply', grads: flat, lr } satisfies ToReplica, flat.map((g) => g.buffer as ArrayBuffer));
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => (named[v.name] = averaged[i]));
    optimizer.step(named, lr);
    tf.dispose(averaged);
    return { loss: ours.loss * wOurs + reply.loss * (1 - wOurs), correct: ours.correct + reply.correct };
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
