// lade train's engine flags on the built CLI: refusals are one line and exit 2, --launch --print writes the
// config beside the run folder and prints the cluster's job, and (where Debian's torch is installed) a real
// one-epoch run on the torch engine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../../src/core/runs/reader';
import { TempTree } from '../core/dataset/helpers';
import { buildCli, runCli } from './buildCli';

const TORCH_PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0);
let cli: string;
let t: TempTree;

beforeAll(async () => {
  cli = await buildCli();
  t = new TempTree();
  // The test bundle lives in a temporary folder, away from dist/python.
  process.env.LADE_TORCH_PACKAGE = path.resolve('python');
});
afterAll(() => {
  t.remove();
  rmSync(path.dirname(cli), { recursive: true, force: true });
});

describe('lade train --engine (built CLI)', () => {
  it('refuses in one line: no torch where asked, torch flags on TF.js, --launch without --print', async () => {
    const data = t.path('data');
    mkdirSync(data, { recursive: true });
    const none = await runCli(cli, ['train', data, '--engine', 'torch', '--python', t.path('no-python')]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(/^lade train: No Python with torch >= 1\.13 .*no-python \(from --python\): not found.*pip install torch/);
    const device = await runCli(cli, ['train', data, '--engine', 'tfjs', '--device', 'cuda']);
    expect(device).toMatchObject({ code: 2, stderr: 'lade train: --device: only with the torch engine (TF.js engine, as asked)\n' });
    const launch = await runCli(cli, ['train', data, '--launch', 'slurm']);
    expect(launch.code).toBe(2);
    expect(launch.stderr).toContain('--launch K and --print go together');
    const engine = await runCli(cli, ['train', data, '--engine', 'jax']);
    expect(engine.stderr).toBe("lade train: --engine must be one of auto, tfjs, torch, not 'jax'\n");
  });

  it.skipIf(!TORCH_PYTHON)('--launch slurm --print writes the config beside the run folder and prints the sbatch script', async () => {
    const out = t.path('runs/big');
    const args = ['train', t.path('data'), '--engine', 'torch', '--out', out, '--model', 'tv:resnet18', '--launch', 'slurm', '--nodes', '2', '--gpus-per-node', '4', '--print', '--python', TORCH_PYTHON!];
    mkdirSync(path.dirname(out), { recursive: true });
    const r = await runCli(cli, args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^#!\/bin\/bash\n#SBATCH --job-name=lade-train\n#SBATCH --nodes=2\n/);
    expect(r.stdout).toContain(`srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node 4`);
    expect(r.stdout).toContain(`-m lade_torch.train --config ${out}.config.json --device cuda`);
    const config = JSON.parse(readFileSync(`${out}.config.json`, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ dataDir: t.path('data'), outDir: out, model: 'tv:resnet18' });
    expect(existsSync(out), 'nothing trained here').toBe(false);
    const again = await runCli(cli, args);
    expect(again).toMatchObject({ code: 2, stderr: `lade train: ${out}.config.json exists (use --force to overwrite it)\n` });
  });

  it.skipIf(!TORCH_PYTHON)('trains one epoch on the torch engine, saying which engine and why', async () => {
    const data = t.path('imgs');
    for (const [c, n] of [['ant', 8], ['bee', 4]] as const) {
      mkdirSync(path.join(data, c), { recursive: true });
      spawnSync(TORCH_PYTHON!, ['-c', `from PIL import Image\nfor i in range(${n}): Image.new('L', (10, 10), ${c === 'ant' ? 200 : 30} + i).save('${path.join(data, c)}/%d.png' % i)`]);
    }
    const out = t.path('torch-run');
    const r = await runCli(cli, ['train', data, '--engine', 'torch', '--python', TORCH_PYTHON!, '--device', 'cpu', '--epochs', '1', '--batch', '4', '--size', '10', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^engine torch: PyTorch \d+\.\d+\S* \(Python [\d.]+, CPU only\) at \S+ from --python\n/);
    // The backend's reason is said once, in the log at the start; the summary names the backend alone.
    expect(r.stdout).toContain(`run completed: ${out}\nbackend torch-cpu\n`);
    expect(r.stderr).toMatch(/backend torch-cpu: PyTorch/);
    const { record } = readRun(out);
    expect(record.origin).toEqual({ kind: 'trained', engine: 'torch', processes: 1 });
    expect(record.history).toHaveLength(1);
    // Nothing is replaced without --force, as with the TF.js engine; with it the run is trained afresh.
    const args = ['train', data, '--engine', 'torch', '--python', TORCH_PYTHON!, '--epochs', '1', '--batch', '4', '--size', '10', '--out', out];
    const refused = await runCli(cli, args);
    expect([refused.code, refused.stderr.trim().split('\n').at(-1)]).toEqual([2, `lade train: ${out} holds a run; add --resume to continue it, --force to replace it, or choose another --out`]);
    const replaced = await runCli(cli, [...args, '--force']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(readRun(out).record.startedAt > record.startedAt).toBe(true);
  }, 180_000);
});
