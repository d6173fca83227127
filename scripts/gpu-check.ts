// Device check of the opt-in WebGPU backend, meant for a machine with a GPU (bundled and run by
// scripts/gpu-pack.sh): initialises webgpu and prints the adapter, runs the golden checks on webgpu
// (autodiff and fused paths), and times one training step (batch 128) of the small CNN on 28x28x1 and
// ResNet-20 on 32x32x3 on webgpu and wasm in the same run, rounds alternating between backends.
// Usage: node gpu-check.js GOLDEN_FILE. Exits 1 when webgpu cannot start or a golden quantity fails.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { checkGolden, formatReport } from './golden-check';
import { initBackend } from '../src/core/tf/backend';
import { trainStep } from '../src/core/train/trainStep';
import { BATCH, median, NETS, setupStep, type BenchNet, type StepSetup } from '../bench/stepBench';

const ROUNDS = Number(process.env.GPU_CHECK_ROUNDS ?? 3);
const STEPS = Number(process.env.GPU_CHECK_STEPS ?? 3);
const BACKENDS = ['webgpu', 'wasm'] as const;
type Backend = (typeof BACKENDS)[number];
const LADE = { loss: 'lade', alpha: 0.1, lambda: 0.1 } as const;
const setup = (net: BenchNet): StepSetup => setupStep(net, LADE);

/**
 * trainStep's arithmetic with an asynchronous read of the loss only (WebGPU in Node cannot read
 * synchronously: readSync goes through OffscreenCanvas). Written when trainStep still used dataSync; it is
 * async now, and kept so the timings stay comparable with those recorded on the H200.
 */
async function stepAsync(b: StepSetup): Promise<number> {
  const loss = tf.tidy(() => {
    const xs = tf.tensor4d(b.x, [...b.shape]);
    const ys = tf.tensor1d(b.y, 'int32');
    const { value, grads } = tf.variableGrads(() => b.loss(b.model.apply(xs, { training: true }) as tf.Tensor2D, ys), b.vars);
    b.opt.step(grads, 0.01);
    return value;
  });
  const v = (await loss.data())[0];
  loss.dispose();
  return v;
}

/** Images/s over STEPS steps after one warm-up step (shader compilation, XNNPACK operator creation). */
async function timeRound(backend: Backend, net: BenchNet): Promise<number> {
  await initBackend(backend);
  const b = setup(net);
  const first = await stepAsync(b);
  if (!Number.isFinite(first)) throw new Error(`${net.label} on ${backend}: the loss is ${first}.`);
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) await stepAsync(b);
  const seconds = (performance.now() - t0) / 1000;
  b.opt.dispose();
  b.model.dispose();
  return (STEPS * BATCH) / seconds;
}

/** Does the product's trainStep run on webgpu? Prints the answer either way. */
async function probeSyncTrainStep(): Promise<void> {
  await initBackend('webgpu');
  const b = setup(NETS[0]);
  try {
    const r = await trainStep(b.model, b.vars, b.opt, b.loss, b.x, b.y, b.shape, 0.01);
    console.log(`trainStep on webgpu: ok, loss ${r.loss.toFixed(4)}`);
  } catch (err) {
    console.log(`trainStep on webgpu: FAILS: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    b.opt.dispose();
    b.model.dispose();
  }
}

/** Same weights, same batch: the first-step loss on webgpu against wasm. */
async function compareFirstLoss(): Promise<void> {
  const losses: Record<string, number> = {};
  for (const backend of BACKENDS) {
    await initBackend(backend);
    const b = setup(NETS[1]);
    losses[backend] = await stepAsync(b);
    losses[`${backend} second step`] = await stepAsync(b);
    b.opt.dispose();
    b.model.dispose();
  }
  console.log(`ResNet-20 LADE loss, steps 1 and 2: ${JSON.stringify(losses)}`);
}

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node gpu-check.js GOLDEN_FILE');
    return 2;
  }
  console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown cpu'}`);
  let report;
  try {
    report = await initBackend('webgpu');
  } catch (err) {
    console.log(`webgpu: ${(err as Error).message}`);
    return 1;
  }
  console.log(`webgpu: ${report.reason}`);
  const flags = tf.env().getFlags();
  console.log(`tfjs flags: ${JSON.stringify(flags)}`);

  let ok: boolean;
  const t0 = performance.now();
  try {
    const golden = await checkGolden(JSON.parse(readFileSync(file, 'utf8')), { backends: ['webgpu'] });
    console.log(formatReport(golden));
    ok = golden.ok;
  } catch (err) {
    console.log(`golden on webgpu threw: ${(err as Error).stack}`);
    ok = false;
  }
  console.log(`golden took ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  await probeSyncTrainStep();

  console.log(`training step, batch ${BATCH}, LADE loss, SGD, ${ROUNDS} rounds x ${STEPS} steps, images/s (median):`);
  for (const net of NETS) {
    const samples: Record<Backend, number[]> = { webgpu: [], wasm: [] };
    try {
      for (let r = 0; r < ROUNDS; r++) {
        for (const backend of BACKENDS) {
          samples[backend].push(await timeRound(backend, net));
          console.log(`  ${net.label} round ${r + 1} ${backend}: ${samples[backend][r].toFixed(0)} img/s`);
        }
      }
    } catch (err) {
      console.log(`${net.label}: ${(err as Error).stack}`);
      ok = false;
      continue;
    }
    const [gpu, wasm] = [median(samples.webgpu), median(samples.wasm)];
    const all = (k: Backend): string => samples[k].map((v) => v.toFixed(0)).join(' ');
    console.log(`${net.label.padEnd(20)} webgpu ${gpu.toFixed(0).padStart(6)}  (${all('webgpu')})`);
    console.log(`${net.label.padEnd(20)} wasm   ${wasm.toFixed(0).padStart(6)}  (${all('wasm')})`);
    console.log(`${net.label.padEnd(20)} ratio webgpu / wasm: ${(gpu / wasm).toFixed(2)}`);
  }
  try {
    await compareFirstLoss();
  } catch (err) {
    console.log(`loss comparison threw: ${(err as Error).stack}`);
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
