// Data-parallel replica (bundled to dist/replica.worker.js): a second single-threaded wasm engine on the
// second core. See replicaProtocol.ts.
import * as tf from '@tensorflow/tfjs';
import { parentPort } from 'node:worker_threads';
import { initBackend } from '../tf/backend';
import { buildModel } from './models';
import { Optimizer } from './optimizer';
import { checkMessage } from '../message';
import { ToReplicaSchema, type FromReplica, type ReplicaInit } from './replicaProtocol';
import { Rng } from '../rng';
import { lossFunction } from './trainRun';
import { computeGradients, type LossFn } from './trainStep';

const port = parentPort;
if (!port) throw new Error('replica.worker must run as a worker thread.');
const post = (msg: FromReplica, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

let state: { model: tf.LayersModel; vars: tf.Variable[]; optimizer: Optimizer; lossFn: LossFn } | undefined;

async function init(msg: ReplicaInit): Promise<void> {
  await initBackend('wasm');
  const model = buildModel(msg.spec, new Rng(0));
  const current = model.getWeights();
  const restored = msg.weights.map((w, i) => tf.tensor(w, current[i].shape));
  model.setWeights(restored);
  tf.dispose(restored);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Optimizer(vars, msg.optimizer);
  optimizer.setState(msg.optimizerState);
  state = { model, vars, optimizer, lossFn: lossFunction(msg.loss, msg.sourcePrior) };
}

port.on('message', (raw: unknown) => {
  void (async () => {
    let id: { id?: number } = {};
    try {
      const msg = checkMessage(ToReplicaSchema, raw, 'data-parallel replica (from the loop)');
      if (msg.type !== 'apply') id = { id: msg.id };
      if (msg.type === 'init') {
        await init(msg);
        post({ type: 'ready', id: msg.id });
        return;
      }
      if (!state) throw new Error('replica used before init');
      if (msg.type === 'grads') {
        const r = computeGradients(state.model, state.vars, state.lossFn, msg.x, msg.y, msg.shape);
        const grads = r.grads.map((g) => g.dataSync() as Float32Array);
        tf.dispose(r.grads);
        post({ type: 'grads', id: msg.id, grads, loss: r.loss, correct: r.correct }, grads.map((g) => g.buffer as ArrayBuffer));
      } else {
        const named: tf.NamedTensorMap = {};
        state.vars.forEach((v, i) => (named[v.name] = tf.tensor(msg.grads[i], v.shape)));
        state.optimizer.step(named, msg.lr);
        tf.dispose(Object.values(named));
      }
    } catch (e) {
      post({ type: 'error', ...id, message: e instanceof Error ? e.message : String(e) });
    }
  })();
});
