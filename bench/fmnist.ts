// npm run bench:fmnist: real data end to end. Writes a Fashion-MNIST-LT image-folder tree (train
// n_i = floor(6000 * 0.01^(i/9)), test 1000 per class; from FASHION_MNIST_DIR or the Debian package
// dataset-fashion-mnist), trains CE and LADE with the same schedule through the product's own path
// (scan, decode, train), and prints Softmax / PC Softmax / LADE accuracy on the uniform test set and the
// paper's forward/backward-r shifted subsets, with many/medium/few, ECE and NLL; --json prints
// {"uniform": {"softmax", "pc_softmax", "lade"}, "forward-50": ...} in percent.
// Options: --epochs N (12) --model cnn|resnet20 --batch N (128) --lr X (0.05) --size N (28) --out DIR
//          --n-max N (6000) --test N (1000) --val-per-class N | --val-fraction F --backend B
//          --workers 1|2 --losses ce,lade (both) --json
//          --engine tfjs|torch (tfjs): torch trains through the PyTorch engine ($LADE_PYTHON, else python3;
//          --device auto|cpu|cuda|mps, --nproc N) with the same settings, so the same accuracy goals apply
// A labelled val split (each run writes its logits to logits-val.bin) is the calibration split that
// bench:prior needs. --val-per-class N writes a balanced one, N per class, from the Fashion-MNIST training
// images the long-tailed train split left out, as ImageNet-LT and Places-LT ship a balanced val split
// (20 per class); the model still trains on every LT image. --val-fraction F instead holds out F of each
// class's LT training images, so the rarest classes get a handful of val images.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { trainRun } from '../src/core/train';
import { chooseEngine, type TorchDevice } from '../src/core/engines/engine';
import { pythonCandidates } from '../src/core/engines/python';
import { trainWithTorch } from '../src/core/engines/torchRunner';
import { evaluateRuns, loadRun, parsePriorSpec, type LoadedRun, type PriorEvaluation } from '../src/core/train/runEvaluation';
import type { BackendSetting, LossKind, ModelKind } from '../src/protocol/training';

const { values: a } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    model: { type: 'string', default: 'cnn' },
    batch: { type: 'string', default: '128' },
    lr: { type: 'string', default: '0.05' },
    size: { type: 'string', default: '28' },
    out: { type: 'string', default: '.lade/bench-fmnist' },
    'n-max': { type: 'string', default: '6000' },
    test: { type: 'string', default: '1000' },
    'val-fraction': { type: 'string', default: '0' },
    'val-per-class': { type: 'string', default: '0' },
    losses: { type: 'string', default: 'ce,lade' },
    backend: { type: 'string', default: 'auto' },
    workers: { type: 'string', default: '1' },
    engine: { type: 'string', default: 'tfjs' },
    device: { type: 'string', default: 'auto' },
    nproc: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const log = (m: string): void => void process.stderr.write(`${m}\n`);

function readIdx(file: string): Uint8Array {
  const raw = gunzipSync(readFileSync(file));
  const dims = raw[3];
  return raw.subarray(4 + 4 * dims);
}

function writeTree(source: string, root: string, nMax: number, testPer: number, valPer: number): void {
  // The marker records the layout, so a tree written with other counts is never reused by mistake.
  const marker = path.join(root, '.complete');
  const layout = JSON.stringify({ nMax, testPer, valPer });
  if (existsSync(marker)) {
    const found = readFileSync(marker, 'utf8');
    if (found === layout) return;
    const what = found === '' ? 'by an earlier version that did not record its counts' : `with other counts (${found})`;
    throw new Error(`${root} holds a Fashion-MNIST-LT tree written ${what}: remove it or pass another --out.`);
  }
  const load = (prefix: string): { images: Uint8Array; labels: Uint8Array } => ({
    images: readIdx(path.join(source, `${prefix}-images-idx3-ubyte.gz`)),
    labels: readIdx(path.join(source, `${prefix}-labels-idx1-ubyte.gz`)),
  });
  /** Writes quota[c] images of each class c, after skipping the first skip[c] of that class. */
  const write = (split: string, data: { images: Uint8Array; labels: Uint8Array }, quota: number[], skip = new Array(10).fill(0)): void => {
    const taken = new Array(10).fill(0);
    const passed = new Array(10).fill(0);
    for (let i = 0; i < data.labels.length; i++) {
      const c = data.labels[i];
      if (passed[c]++ < skip[c] || taken[c] >= quota[c]) continue;
      const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, inputHasAlpha: false });
      png.data = Buffer.from(data.images.subarray(i * 784, (i + 1) * 784));
      const dir = path.join(root, split, `class${c}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${taken[c]}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
      taken[c]++;
    }
  };
  // Fashion-MNIST has 6,000 training images per class: the val images come out of a class's train quota
  // only where the quota leaves fewer than valPer over (class 0 at the default n-max).
  if (valPer >= 6000) throw new Error(`--val-per-class ${valPer}: Fashion-MNIST has 6,000 training images per class.`);
  const quota = Array.from({ length: 10 }, (_, i) => Math.min(Math.floor(nMax * 0.01 ** (i / 9)), 6000 - valPer));
  log(`writing Fashion-MNIST-LT to ${root}: train ${quota.join(' ')}, ${valPer > 0 ? `val ${valPer}, ` : ''}test ${testPer} per class`);
  const trainSet = load('train');
  write('train', trainSet, quota);
  if (valPer > 0) write('val', trainSet, new Array(10).fill(valPer), quota);
  write('test', load('t10k'), new Array(10).fill(testPer));
  writeFileSync(marker, layout);
}

let python: string | undefined;
async function torchPython(): Promise<string> {
  if (python) return python;
  const choice = await chooseEngine('torch', pythonCandidates({ setting: process.env.LADE_PYTHON, settingName: '$LADE_PYTHON' }));
  if (choice.engine !== 'torch') throw new Error('unreachable: chooseEngine(torch) gives torch or throws');
  log(`engine: ${choice.reason}`);
  python = choice.python.command;
  return python;
}

async function train(root: string, loss: LossKind): Promise<string> {
  const outDir = path.join(a.out!, `run-${loss}`);
  const t0 = Date.now();
  const config = {
    dataDir: root,
    outDir,
    loss,
    model: a.model as ModelKind,
    epochs: Number(a.epochs),
    batchSize: Number(a.batch),
    lr: Number(a.lr),
    size: Number(a.size),
    backend: a.backend as BackendSetting,
    valFraction: Number(a['val-fraction']),
    workers: (a.workers === '2' ? 2 : 1) as 1 | 2,
    seed: 1,
  };
  const hooks = { onLog: (_: unknown, m: string) => log(`[${loss}] ${m}`) };
  const rec =
    a.engine === 'torch'
      ? await trainWithTorch({ ...config, backend: undefined, workers: undefined }, { python: await torchPython(), device: a.device as TorchDevice, nproc: Number(a.nproc) }, hooks)
      : await trainRun(config, hooks);
  log(`[${loss}] done in ${((Date.now() - t0) / 1000).toFixed(0)} s on ${rec.backend.name}: test ${rec.finalAccuracy.test?.toFixed(2)}%`);
  return outDir;
}

async function main(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  log(`load average before: ${load()} (${os.cpus().length} cores)`);
  process.on('exit', () => log(`load average after: ${load()}`));
  const source = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
  if (!existsSync(path.join(source, 'train-images-idx3-ubyte.gz'))) {
    throw new Error(`Fashion-MNIST not found in '${source}': apt-get install dataset-fashion-mnist or set FASHION_MNIST_DIR.`);
  }
  const valPer = Number(a['val-per-class']);
  if (!(Number.isInteger(valPer) && valPer >= 0)) throw new Error(`--val-per-class takes a whole number, got '${a['val-per-class']}'`);
  if (valPer > 0 && Number(a['val-fraction']) > 0) throw new Error('--val-per-class and --val-fraction are two ways to make the val split: pass one.');
  const root = path.join(a.out!, 'fashion-mnist-lt');
  writeTree(source, root, Number(a['n-max']), Number(a.test), valPer);
  const losses = a.losses!.split(',');
  const unknown = losses.filter((l) => l !== 'ce' && l !== 'lade');
  if (unknown.length > 0 || losses.length === 0) throw new Error(`--losses takes ce, lade or both, got '${a.losses}'`);
  const runs: LoadedRun[] = [];
  for (const loss of losses as LossKind[]) runs.push(loadRun(await train(root, loss)));
  const priors = ['forward:50', 'forward:25', 'forward:10', 'forward:5', 'forward:2', 'uniform', 'backward:2', 'backward:5', 'backward:10', 'backward:25', 'backward:50'];
  const evals: PriorEvaluation[] = priors.map((p) => evaluateRuns(runs, parsePriorSpec(p)));
  if (a.json) {
    const out: Record<string, Record<string, number>> = {};
    for (const e of evals) out[e.prior] = Object.fromEntries(e.results.map((r) => [r.method, 100 * r.metrics.expectedAccuracy]));
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const f = (x: number | null | undefined): string => (x == null ? '-' : (100 * x).toFixed(1)).padStart(6);
  console.log('prior          softmax  pc_softmax   lade');
  for (const e of evals) {
    const acc = (m: string): string => f(e.results.find((r) => r.method === m)?.metrics.expectedAccuracy);
    console.log(`${e.prior.padEnd(13)} ${acc('softmax')}  ${acc('pc_softmax')}     ${acc('lade')}`);
  }
  const uniform = evals.find((e) => e.prior === 'uniform')!;
  console.log('\nuniform test set: method  many  medium  few   ECE    NLL');
  for (const r of uniform.results) {
    const m = r.metrics;
    console.log(`  ${r.method.padEnd(11)} ${f(m.shots?.many)} ${f(m.shots?.medium)} ${f(m.shots?.few)}  ${m.ece.toFixed(3)}  ${m.nll.toFixed(3)}`);
  }
}

main().catch((e: unknown) => {
  log(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
