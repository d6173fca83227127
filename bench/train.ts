// npm run bench:train: images/s of one training step (forward, backward, SGD update) at batch 128 for the
// small CNN on 28x28x1 and ResNet-20 on 32x32x3, on each tfjs backend present (cpu only with --cpu: it is
// 20-300x slower), and for the same networks in PyTorch when `python3 -c "import torch"` works. Rounds
// alternate between engines so machine load hits all alike; prints medians and the ratio ours / PyTorch
// (one wasm engine vs one PyTorch thread; two engines vs PyTorch on all cores).
// tfjs-wasm-x2 is the data-parallel mode (--workers 2): this engine plus one replica worker; it needs the
// bundled replica (npm run build, or BENCH_REPLICA=path/to/replica.worker.js).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { initBackend } from '../src/core/tf/backend';
import type { BackendChoice } from '../src/core/tf/backend';
import { trainStep } from '../src/core/train/trainStep';
import { ReplicaPair } from '../src/core/train/dataParallel';
import { torchPython } from './torchPython';
import { BATCH, median, NETS, netSpec, OPTIMIZER, setupStep, SOURCE_PRIOR, type BenchNet } from './stepBench';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const CE = { loss: 'ce', alpha: 0, lambda: 0 } as const;

const REPLICA = process.env.BENCH_REPLICA ?? path.resolve('dist/replica.worker.js');

async function tfjsRound(backend: BackendChoice, net: BenchNet, parallel = false): Promise<number> {
  await initBackend(backend);
  const { model, vars, opt, loss, x, y, shape } = setupStep(net, CE);
  let pair: ReplicaPair | undefined;
  if (parallel) {
    const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    pair = await ReplicaPair.start(
      {
        type: 'init',
        spec: netSpec(net),
        loss: CE,
        sourcePrior: [...SOURCE_PRIOR],
        optimizer: OPTIMIZER,
        weights,
        optimizerState: await opt.getState(),
      },
      REPLICA,
    );
  }
  const step = async (): Promise<void> => {
    if (pair) await pair.step(model, vars, opt, loss, x, y, shape, 0.01);
    else await trainStep(model, vars, opt, loss, x, y, shape, 0.01);
  };
  await step(); // warm-up: kernel setup, XNNPACK operator creation
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) await step();
  const seconds = (performance.now() - t0) / 1000;
  await pair?.close();
  opt.dispose();
  model.dispose();
  return (STEPS * BATCH) / seconds;
}

const TORCH = `
import sys, time, torch, torch.nn as nn
torch.set_num_threads(int(sys.argv[3]))
kind, size = sys.argv[1], int(sys.argv[2])
def block(i, o, s):
    class B(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(i, o, 3, s, 1, bias=False); self.b1 = nn.BatchNorm2d(o)
            self.c2 = nn.Conv2d(o, o, 3, 1, 1, bias=False); self.b2 = nn.BatchNorm2d(o)
            self.sc = nn.Sequential() if s == 1 and i == o else nn.Sequential(nn.Conv2d(i, o, 1, s, bias=False), nn.BatchNorm2d(o))
        def forward(self, x):
            return torch.relu(self.b2(self.c2(torch.relu(self.b1(self.c1(x))))) + self.sc(x))
    return B()
if kind == 'cnn':
    net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * (size // 4) ** 2, 128), nn.ReLU(), nn.Linear(128, 10))
    ch = 1
else:
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    i = 16
    for st, o in enumerate([16, 32, 64]):
        for b in range(3):
            layers.append(block(i, o, 2 if st > 0 and b == 0 else 1)); i = o
    net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))
    ch = 3
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
x = torch.randn(${BATCH}, ch, size, size); y = torch.randint(0, 10, (${BATCH},))
def step():
    opt.zero_grad(); loss = nn.functional.cross_entropy(net(x), y); loss.backward(); opt.step()
step()
t = time.perf_counter()
for _ in range(${STEPS}): step()
print(${STEPS} * ${BATCH} / (time.perf_counter() - t))
`;

function torchRound(python: string, script: string, net: BenchNet, threads: number): number {
  return Number(execFileSync(python, [script, net.kind, String(net.size), String(threads)], { encoding: 'utf8' }).trim());
}

async function main(): Promise<void> {
  const backends: BackendChoice[] = ['wasm'];
  if (process.argv.includes('--cpu')) backends.push('cpu');
  for (const b of ['webgpu', 'tensorflow'] as const) {
    try {
      await initBackend(b);
      backends.push(b);
    } catch (e) {
      console.log(`(${b}: ${(e as Error).message})`);
    }
  }
  const parallel = existsSync(REPLICA);
  if (!parallel) console.log(`(data parallel: no replica bundle at ${REPLICA}; run npm run build)`);
  const python = torchPython();
  const script = path.join(os.tmpdir(), 'lade-bench-torch.py');
  if (python) writeFileSync(script, TORCH);
  else console.log('(PyTorch: no python3 imports torch; install python3-torch, or set BENCH_PYTHON, for the comparison)');
  console.log(`batch ${BATCH}, ${ROUNDS} rounds x ${STEPS} steps, ${os.cpus().length} cores, images/s (median):`);
  for (const net of NETS) {
    const samples = new Map<string, number[]>();
    const add = (k: string, v: number): void => void samples.set(k, [...(samples.get(k) ?? []), v]);
    for (let r = 0; r < ROUNDS; r++) {
      for (const b of backends) add(`tfjs-${b}`, await tfjsRound(b, net));
      if (parallel) add('tfjs-wasm-x2', await tfjsRound('wasm', net, true));
      if (python) {
        add('pytorch-1-thread', torchRound(python, script, net, 1));
        add(`pytorch-${os.cpus().length}-threads`, torchRound(python, script, net, os.cpus().length));
      }
    }
    // Like against like: one engine against one PyTorch thread, two engines against PyTorch on every core.
    const one = samples.get('pytorch-1-thread');
    const all = samples.get(`pytorch-${os.cpus().length}-threads`);
    for (const [k, v] of samples) {
      const [ref, what] = k === 'tfjs-wasm-x2' ? [all, `PyTorch ${os.cpus().length} threads`] : [one, 'PyTorch 1 thread'];
      const ratio = ref && k.startsWith('tfjs') ? `  ratio vs ${what}: ${(median(v) / median(ref)).toFixed(2)}` : '';
      console.log(`${net.label.padEnd(20)} ${k.padEnd(22)} ${median(v).toFixed(0).padStart(6)} img/s${ratio}`);
    }
  }
}

// --engine torch: the PyTorch engine against a bare PyTorch loop, and 2 processes against 1 (bench/trainTorch.ts).
const engineFlag = process.argv.indexOf('--engine');
if (engineFlag >= 0 && process.argv[engineFlag + 1] === 'torch') void import('./trainTorch').then((m) => m.benchTorchEngine());
else void main();
