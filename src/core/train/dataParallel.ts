// Two-way data parallelism for single-threaded wasm: the loop's engine and one replica worker each take
// half of every batch, the gradients are averaged (weighted by each half's size), and both apply the same
// update. Batch-norm statistics are per half, as in PyTorch DDP without SyncBN, and the LADE regularizer's
// batch terms are taken per half too: a close, not identical, objective to the single-engine run.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Optimizer } from './optimizer';
import { checkMessage } from '../message';
import { FromReplicaSchema, REPLY_TYPE, type FromReplica, type ReplicaReplies, type ReplicaRequest, type ToReplica } from './replicaProtocol';
import { computeGradients, type LossFn, type StepResult } from './trainStep';

export function defaultReplicaPath(): string {
  return path.join(typeof __dirname === 'string' ? __dirname : process.cwd(), 'replica.worker.js');
}

export class ReplicaPair {
  /** Requests waiting for their reply, by id. */
  private readonly pending = new Map<number, (reply: FromReplica) => void>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (raw: unknown) => {
      let msg: FromReplica;
      try {
        msg = checkMessage(FromReplicaSchema, raw, 'data-parallel replica');
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      if (msg.type === 'error' && msg.id === undefined) this.fail(new Error(`Data-parallel replica failed: ${msg.message}`));
      else if (msg.id !== undefined) this.pending.get(msg.id)?.(msg);
    });
    worker.on('error', (e) => this.fail(new Error(`Data-parallel replica crashed: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`Data-parallel replica exited (code ${code}).`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p({ type: 'error', message: e.message });
  }

  /** Posts the request made for a fresh id and resolves with the reply carrying that id, or rejects with the replica's error. */
  private request<K extends keyof ReplicaReplies>(kind: K, make: (id: number) => Extract<ToReplica, { type: K }>, transfer: ArrayBuffer[] = []): Promise<ReplicaReplies[K]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) => {
        this.pending.delete(id);
        if (reply.type === 'error') reject(this.failure ?? new Error(`Data-parallel replica failed: ${reply.message}`));
        else if (reply.type !== REPLY_TYPE[kind]) reject(new Error(`Data-parallel replica answered '${kind}' with '${reply.type}'.`));
        else resolve(reply as ReplicaReplies[K]);
      });
      this.worker.postMessage(make(id), transfer);
    });
  }

  static async start(init: ReplicaRequest<'init'>, workerPath = defaultReplicaPath()): Promise<ReplicaPair> {
    if (!existsSync(workerPath)) throw new Error(`Replica worker script not found at '${workerPath}' (run npm run build).`);
    const pair = new ReplicaPair(new Worker(workerPath));
    await pair.request('init', (id) => ({ ...init, id }));
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
    const theirs = this.request('grads', (id) => ({ type: 'grads', id, x: x.slice(half * row), y: y.slice(half), shape: [n - half, ...shape.slice(1)] }));
    // Compute our half while the replica computes its half; the request above is already posted.
    const ours = computeGradients(model, vars, lossFn, x.subarray(0, half * row), y.subarray(0, half), [half, ...shape.slice(1)]);
    const reply = await theirs.catch((e: unknown) => {
      tf.dispose(ours.grads);
      throw e;
    });
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
