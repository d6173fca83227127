// npm run bench:onnx: inference images/s of ResNet-20 on 32x32x3 (batch 64) on onnxruntime-node's CPU
// runtime, against TF.js wasm running the same weights (ported into the project's ResNet-20) and against
// PyTorch (/usr/bin/python3 or BENCH_PYTHON) on the same number of threads. Checks first that the three
// engines agree on the logits, then alternates rounds so machine load hits all alike; prints medians,
// the ratios and the load average. The model comes from scripts/make-onnx-fixtures.py --resnet20 (the
// PyTorch engine's ResNet-20 with seeded weights and batch-norm statistics).
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/core/rng';
import { initBackend } from '../src/core/tf/backend';
import { buildModel } from '../src/core/train/models';
import { median } from './stepBench';
import { torchPython } from './torchPython';

const BATCH = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ITERS = Number(process.env.BENCH_ITERS ?? 8);
const DIR = path.resolve('out/bench-onnx');
const THREADS = os.cpus().length;

interface WeightEntry {
  name: string;
  shape: number[];
  offset: number;
}

/** The torch state dict (float32, as the fixture script writes it) by name. */
function torchWeights(): Map<string, { shape: number[]; data: Float32Array }> {
  const bin = readFileSync(path.join(DIR, 'resnet20-weights.bin'));
  const manifest = JSON.parse(readFileSync(path.join(DIR, 'resnet20-weights.json'), 'utf8')) as WeightEntry[];
  return new Map(
    manifest.map((e) => {
      const n = e.shape.reduce((a, b) => a * b, 1);
      return [e.name, { shape: e.shape, data: new Float32Array(bin.buffer.slice(bin.byteOffset + e.offset, bin.byteOffset + e.offset + 4 * n)) }];
    }),
  );
}

/** torch layouts to TF's: conv [O, I, kh, kw] -> [kh, kw, I, O], linear [O, I] -> [I, O]. */
function toTf(w: { shape: number[]; data: Float32Array }): tf.Tensor {
  const t = tf.tensor(w.data, w.shape);
  if (w.shape.length === 4) return tf.transpose(t, [2, 3, 1, 0]);
  if (w.shape.length === 2) return tf.transpose(t);
  return t;
}

/**
 * The project's TF.js ResNet-20 with the weights of the PyTorch engine's ResNet-20 (python/lade_torch),
 * which pads stride-2 convolutions as TF's 'same' does (0 before, 1 after) and uses batch-norm epsilon
 * 1e-5 as models.ts does, so no layer changes.
 */
function portedTfModel(): tf.LayersModel {
  const model = buildModel({ kind: 'resnet20', size: 32, channels: 3, numClasses: 10, width: 16 }, new Rng(0));
  const w = torchWeights();
  const get = (name: string) => {
    const v = w.get(name);
    if (!v) throw new Error(`torch weight '${name}' missing`);
    return toTf(v);
  };
  const bn = (prefix: string) => ['weight', 'bias', 'running_mean', 'running_var'].map((k) => get(`${prefix}.${k}`));
  const set = (layer: string, values: tf.Tensor[]) => model.getLayer(layer).setWeights(values);
  set('stem_conv', [get('stem.0.weight')]);
  set('stem_bn', bn('stem.1'));
  for (let i = 0; i < 9; i++) {
    const name = `s${Math.floor(i / 3) + 1}b${(i % 3) + 1}`;
    set(`${name}_conv1`, [get(`blocks.${i}.conv1.weight`)]);
    set(`${name}_bn1`, bn(`blocks.${i}.bn1`));
    set(`${name}_conv2`, [get(`blocks.${i}.conv2.weight`)]);
    set(`${name}_bn2`, bn(`blocks.${i}.bn2`));
    if (w.has(`blocks.${i}.proj.0.weight`)) {
      set(`${name}_proj`, [get(`blocks.${i}.proj.0.weight`)]);
      set(`${name}_proj_bn`, bn(`blocks.${i}.proj.1`));
    }
  }
  set('logits', [get('head.weight'), get('head.bias')]);
  return model;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const nhwc = (x: Float32Array, n: number): tf.Tensor4D => tf.tidy(() => tf.transpose(tf.tensor4d(x, [n, 3, 32, 32]), [0, 2, 3, 1]));

const TORCH = `
import sys, time, torch
sys.path.insert(0, sys.argv[1])
from lade_torch.models import ResNet20
torch.set_num_threads(int(sys.argv[3]))
m = ResNet20(3, 10); m.load_state_dict(torch.load(sys.argv[2])); m.eval()
x = torch.rand(${BATCH}, 3, 32, 32)
with torch.no_grad():
    m(x)
    t = time.perf_counter()
    for _ in range(${ITERS}): m(x)
    print(${ITERS} * ${BATCH} / (time.perf_counter() - t))
`;

async function main(): Promise<void> {
  const python = torchPython(['torchvision', 'PIL']);
  if (!existsSync(path.join(DIR, 'resnet20.onnx'))) {
    if (!python) throw new Error(`No ${DIR}/resnet20.onnx and no python with torch to make it (scripts/make-onnx-fixtures.py --resnet20).`);
    execFileSync(python, ['scripts/make-onnx-fixtures.py', '--resnet20', DIR], { stdio: ['ignore', 'ignore', 'ignore'] });
  }
  const ref = JSON.parse(readFileSync(path.join(DIR, 'resnet20-logits.json'), 'utf8')) as { input: number[]; logits: number[][] };
  const refX = Float32Array.from(ref.input);
  const refY = ref.logits.flat();

  // One session per thread count: one engine against single-threaded wasm and one PyTorch thread, and
  // every core against PyTorch on every core.
  const threadCounts = [...new Set([1, THREADS])];
  const sessions = new Map<number, ort.InferenceSession>();
  for (const t of threadCounts) sessions.set(t, await ort.InferenceSession.create(path.join(DIR, 'resnet20.onnx'), { executionProviders: ['cpu'], intraOpNumThreads: t }));
  const ortRun = async (x: Float32Array, n: number, threads = THREADS): Promise<Float32Array> =>
    (await sessions.get(threads)!.run({ input: new ort.Tensor('float32', x, [n, 3, 32, 32]) })).logits!.data as Float32Array;
  const backend = await initBackend('wasm');
  const model = portedTfModel();
  const tfRun = async (x: Float32Array, n: number): Promise<Float32Array> => {
    const input = nhwc(x, n);
    const y = model.predict(input) as tf.Tensor;
    const data = (await y.data()) as Float32Array;
    tf.dispose([input, y]);
    return data;
  };
  const ortDiff = maxDiff(await ortRun(refX, 4), refY);
  const tfDiff = maxDiff(await tfRun(refX, 4), refY);
  console.log(`logits vs PyTorch on 4 fixed images: onnxruntime max |diff| ${ortDiff.toExponential(2)}, TF.js wasm (ported weights) ${tfDiff.toExponential(2)}`);
  if (ortDiff > 1e-4 || tfDiff > 1e-3) throw new Error('The engines disagree on the logits: the weights did not port.');

  const rng = new Rng(1);
  const x = Float32Array.from({ length: BATCH * 3 * 32 * 32 }, () => rng.next());
  const time = async (run: () => Promise<unknown>): Promise<number> => {
    await run(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < ITERS; i++) await run();
    return (ITERS * BATCH) / ((performance.now() - t0) / 1000);
  };
  const script = path.join(os.tmpdir(), `lade-bench-onnx-${process.pid}.py`);
  if (python) writeFileSync(script, TORCH);
  else console.log('(PyTorch: no python imports torch; set BENCH_PYTHON for the comparison)');
  const samples = new Map<string, number[]>();
  const add = (k: string, v: number): void => void samples.set(k, [...(samples.get(k) ?? []), v]);
  const load = os.loadavg()[0]!;
  const wasmKey = `tfjs-${backend.name}`;
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of threadCounts) add(`onnxruntime-cpu-${t}t`, await time(() => ortRun(x, BATCH, t)));
    add(wasmKey, await time(() => tfRun(x, BATCH)));
    for (const t of python ? threadCounts : []) {
      add(`pytorch-${t}t`, Number(execFileSync(python!, [script, path.resolve('python'), path.join(DIR, 'resnet20.pt'), String(t)], { encoding: 'utf8' }).trim()));
    }
  }
  for (const s of sessions.values()) await s.release();
  model.dispose();
  console.log(`ResNet-20 32x32x3 inference, batch ${BATCH}, ${ROUNDS} rounds x ${ITERS} batches, images/s (median; Nt = N threads):`);
  for (const [k, v] of samples) console.log(`  ${k.padEnd(20)} ${median(v).toFixed(0).padStart(6)}   (rounds: ${v.map((s) => s.toFixed(0)).join(', ')})`);
  const m = (k: string): number | undefined => (samples.has(k) ? median(samples.get(k)!) : undefined);
  const ratio = (a: string, b: string, goal: string): void => {
    const [x, y] = [m(a), m(b)];
    if (x !== undefined && y !== undefined) console.log(`  ${a} / ${b}: ${(x / y).toFixed(2)}x (goal ${goal})`);
  };
  for (const t of threadCounts) ratio(`onnxruntime-cpu-${t}t`, wasmKey, '>= 4');
  for (const t of threadCounts) ratio(`onnxruntime-cpu-${t}t`, `pytorch-${t}t`, '>= 0.9');
  console.log(`load average (1 min) at start ${load.toFixed(2)}, at end ${os.loadavg()[0]!.toFixed(2)}, on ${os.cpus().length} cores`);
}

main().catch((e: unknown) => {
  console.error(`bench:onnx: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
