// npm run bench:train -- --engine torch: the PyTorch engine's training images/s (lade_torch.train through
// the TypeScript runner, as `lade train --engine torch` runs it) against a bare PyTorch loop on the same net,
// batch, optimizer and images in the same run (goal: engine / bare >= 0.95), and 2 DDP processes against 1.
// The small CNN on 28x28x1 images, no augmentation (the bare loop has none), on the CPU unless BENCH_DEVICE
// says otherwise. Rounds alternate between the three so machine load hits all alike; prints medians of the
// epochs after the first, and the load average.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TorchDevice } from '../src/core/engines/engine';
import { findTorch, pythonCandidates, torchPackageDir } from '../src/core/engines/python';
import { torchEnv, trainWithTorch } from '../src/core/engines/torchRunner';
import { median } from './stepBench';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 4);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 4000);
const DEVICE = (process.env.BENCH_DEVICE ?? 'cpu') as TorchDevice;
const CLASSES = 10;
const SIZE = 28;
const BATCH = 128;
const TRAIN = { model: 'cnn', size: SIZE, channels: 1, batchSize: BATCH, epochs: EPOCHS, loss: 'ce', augment: false, valFraction: 0.1, lr: 0.05, momentum: 0.9, weightDecay: 5e-4 } as const;

// Same images (decoded as the engine does: gray, /255, -0.5, /0.25), the engine's own model builder, SGD with
// momentum and torch's default threads (as the engine's single process); the plain loop every PyTorch user
// writes. Prints the median images/s.
const BARE = `
import os, sys, time, glob, statistics, numpy as np, torch, torch.nn.functional as F
from PIL import Image
from lade_torch.models import build_model
root, epochs, batch, device = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
files = sorted(glob.glob(os.path.join(root, '*', '*.png')))
classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})
x = torch.tensor(np.stack([np.asarray(Image.open(f).convert('L'), dtype=np.float32) for f in files])[:, None] / 255.0)
x = ((x - 0.5) / 0.25).to(device)
y = torch.tensor([classes.index(os.path.basename(os.path.dirname(f))) for f in files]).to(device)
keep = int(len(files) * 0.9)
x, y = x[:keep], y[:keep]
net = build_model('cnn', x.shape[-1], 1, len(classes), 16, 0).to(device)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
rates = []
for epoch in range(epochs):
    net.train(); perm = torch.randperm(len(x), device=device); t = time.perf_counter(); n = 0
    for i in range(len(x) // batch):
        idx = perm[i * batch:(i + 1) * batch]
        loss = F.cross_entropy(net(x[idx]), y[idx])
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); n += len(idx)
    if device == 'cuda': torch.cuda.synchronize()
    rates.append(n / (time.perf_counter() - t))
print(statistics.median(rates[1:] or rates))
`;

function makeDataset(python: string, dir: string): void {
  const script = `
import os, numpy as np
from PIL import Image
r = np.random.default_rng(0)
for i in range(${IMAGES}):
    c = i % ${CLASSES}; d = os.path.join(${JSON.stringify(dir)}, 'c%d' % c); os.makedirs(d, exist_ok=True)
    img = (r.random((${SIZE}, ${SIZE})) * 80 + c * 17).clip(0, 255).astype('uint8')
    Image.fromarray(img, 'L').save(os.path.join(d, '%05d.png' % i))
`;
  execFileSync(python, ['-c', script]);
}

async function engineRate(python: string, dataDir: string, outDir: string, nproc: number): Promise<number> {
  rmSync(outDir, { recursive: true, force: true });
  const rates: number[] = [];
  await trainWithTorch({ dataDir, outDir, ...TRAIN }, { python, device: DEVICE, nproc }, { onEpoch: (e) => rates.push(e.imagesPerSec) });
  return median(rates.slice(1));
}

export async function benchTorchEngine(): Promise<void> {
  const probe = await findTorch(pythonCandidates({ setting: process.env.LADE_PYTHON, settingName: '$LADE_PYTHON' }));
  if (!probe.ok) {
    console.error(`bench:train --engine torch: no Python with torch >= 1.13 (${probe.reason}); set LADE_PYTHON.`);
    process.exitCode = 2;
    return;
  }
  const python = probe.found.command;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-bench-torch-'));
  try {
    const dataDir = path.join(tmp, 'data');
    makeDataset(python, dataDir);
    const bareScript = path.join(tmp, 'bare.py');
    writeFileSync(bareScript, BARE);
    console.log(`PyTorch ${probe.found.torch} (${python}), device ${DEVICE}, cnn ${SIZE}x${SIZE}x1, batch ${BATCH}, ${IMAGES} images, ${EPOCHS} epochs x ${ROUNDS} rounds`);
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
    const samples = { engine: [] as number[], bare: [] as number[], ddp2: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      samples.engine.push(await engineRate(python, dataDir, path.join(tmp, 'run1'), 1));
      const bare = spawnSync(python, [bareScript, dataDir, String(EPOCHS), String(BATCH), DEVICE], { encoding: 'utf8', env: torchEnv(torchPackageDir(__dirname)) });
      if (bare.status !== 0) throw new Error(`bare loop failed: ${bare.stderr}`);
      samples.bare.push(Number(bare.stdout.trim()));
      samples.ddp2.push(await engineRate(python, dataDir, path.join(tmp, 'run2'), 2));
      console.log(`round ${r + 1}: engine ${samples.engine[r]!.toFixed(0)}, bare ${samples.bare[r]!.toFixed(0)}, 2 processes ${samples.ddp2[r]!.toFixed(0)} img/s`);
    }
    const engine = median(samples.engine);
    const bare = median(samples.bare);
    const ddp2 = median(samples.ddp2);
    console.log(`engine (1 process)   ${engine.toFixed(0)} img/s`);
    console.log(`bare PyTorch loop    ${bare.toFixed(0)} img/s`);
    console.log(`engine / bare        ${(engine / bare).toFixed(3)} (goal >= 0.95)`);
    console.log(`2 processes (DDP)    ${ddp2.toFixed(0)} img/s, ${(ddp2 / engine).toFixed(2)}x 1 process`);
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

