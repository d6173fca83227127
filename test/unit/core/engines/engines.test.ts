// Engine choice and the torch runner against stand-in interpreters (shell scripts speaking the protocol),
// plus one real run through Debian's torch where it is installed.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseEngine, EngineUnavailable } from '../../../../src/core/engines/engine';
import { pythonCandidates, probeTorch, torchPackageDir, torchVersionOk } from '../../../../src/core/engines/python';
import { startTorchTraining, torchArgs, TorchUserError, trainWithTorch } from '../../../../src/core/engines/torchRunner';
import { readRun } from '../../../../src/core/runs/reader';
import type { TrainProgress } from '../../../../src/core/train/workerMessages';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lade-engines-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fakePython(name: string, body: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const TORCH_PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch, torchvision'], { stdio: 'ignore' }).status === 0);

describe('engine choice', () => {
  it('compares torch versions from 1.13 on, local builds included', () => {
    expect(torchVersionOk('1.13.0a0')).toBe(true);
    expect(torchVersionOk('2.5.1+cu121')).toBe(true);
    expect(torchVersionOk('1.12.1')).toBe(false);
  });

  it('takes the named interpreter alone, else the Python extension, else python3', () => {
    expect(pythonCandidates({ setting: '/opt/py', extension: '/ext/py' })).toEqual([{ command: '/opt/py', source: 'lade.python' }]);
    expect(pythonCandidates({ extension: '/ext/py' })).toEqual([{ command: '/ext/py', source: 'the Python extension' }]);
    expect(pythonCandidates({})[0]!.source).toBe('the PATH');
  });

  it('auto falls back to TF.js saying why; torch refuses with how to install', async () => {
    const old = fakePython('old-torch', 'echo \'{"torch": "1.12.0", "python": "3.9.2", "cuda": 0, "mps": false}\'');
    const missing = [{ command: path.join(tmp, 'no-such-python'), source: 'lade.python' }];
    const auto = await chooseEngine('auto', [{ command: old, source: 'lade.python' }]);
    expect(auto).toEqual({ engine: 'tfjs', reason: expect.stringContaining('torch 1.12.0 is older than 1.13') });
    await expect(chooseEngine('torch', missing)).rejects.toThrow(EngineUnavailable);
    await expect(chooseEngine('torch', missing)).rejects.toThrow(/not found\).*pip install torch.*lade\.python/);
    expect((await chooseEngine('tfjs', missing)).engine).toBe('tfjs');
    await expect(chooseEngine('torch', missing, { tfjsOnly: '--workers is a TF.js setting' })).rejects.toThrow(/cannot train this run: --workers/);
  });

  it('a probe that hangs is given up after its timeout', async () => {
    const hang = fakePython('hang', 'sleep 5');
    const p = await probeTorch({ command: hang, source: 'lade.python' }, 300);
    expect(p).toEqual({ ok: false, reason: expect.stringContaining('importing torch took over 0.3 s') });
  });
});

describe('torch runner', () => {
  const config = (out: string) => ({ dataDir: path.join(tmp, 'data'), outDir: path.join(tmp, out) });

  it('runs lade_torch.train, or lade_torch.launch for several processes', () => {
    expect(torchArgs('c.json', { device: 'cpu' }, false)).toEqual(['-m', 'lade_torch.train', '--config', 'c.json', '--device', 'cpu']);
    expect(torchArgs('c.json', { nproc: 2 }, true)).toEqual(['-m', 'lade_torch.launch', '--nproc', '2', '--', '--config', 'c.json', '--device', 'auto', '--resume']);
    expect(readFileSync(path.join(torchPackageDir(), 'lade_torch', 'train.py'), 'utf8')).toContain('def main');
  });

  it('forwards progress, logs and epochs, and keeps stray stdout as a log line', async () => {
    const progress = '{"type":"progress","progress":{"phase":"train","epoch":1,"epochs":1,"step":1,"steps":1,"loss":{"total":1},"accuracy":0.5,"lr":0.1,"imagesPerSec":10,"etaSec":0,"backend":"torch-cpu","backendReason":"test"}}';
    const py = fakePython('talker', [
      `echo '${progress}'`,
      'echo "not json"',
      'echo \'{"type":"epoch","record":{"epoch":1,"loss":1,"trainAccuracy":0.5,"valAccuracy":0.5,"lr":0.1,"seconds":1,"imagesPerSec":10}}\'',
      'echo \'{"type":"error","message":"lade_torch.train: boom"}\'',
      'exit 1',
    ].join('\n'));
    const seen: TrainProgress[] = [];
    const logs: string[] = [];
    const epochs: number[] = [];
    const run = trainWithTorch(config('talk'), { python: py, packageDir: tmp }, {
      onProgress: (p) => seen.push(p),
      onLog: (_l, m) => logs.push(m),
      onEpoch: (e) => epochs.push(e.epoch),
    });
    await expect(run).rejects.toThrow('lade_torch.train: boom');
    expect(seen.map((p) => p.backend)).toEqual(['torch-cpu']);
    expect(logs).toEqual(['not json']);
    expect(epochs).toEqual([1]);
  });

  it('exit status 2 is a user error; a crash reports the tail of stderr', async () => {
    const refused = fakePython('refuse', 'echo \'{"type":"error","message":"epochs = 0"}\'; exit 2');
    await expect(startTorchTraining(config('refused'), { python: refused, packageDir: tmp }).result).rejects.toThrow(TorchUserError);
    const crash = fakePython('crash', 'echo "Traceback: line 1" >&2; echo "RuntimeError: CUDA out of memory" >&2; exit 1');
    await expect(startTorchTraining(config('crash'), { python: crash, packageDir: tmp }).result).rejects.toThrow(
      /^The PyTorch engine stopped unexpectedly \(exit code 1\): RuntimeError: CUDA out of memory\nTraceback: line 1\nRuntimeError: CUDA out of memory$/,
    );
  });

  it('cancel sends SIGTERM and waits for the engine to report its cancelled run', async () => {
    const py = fakePython('cancellable', [
      'trap \'echo "{\\"type\\":\\"log\\",\\"level\\":\\"info\\",\\"message\\":\\"got TERM\\"}"; exit 143\' TERM',
      'echo \'{"type":"log","level":"info","message":"ready"}\'',
      'while true; do sleep 0.05; done',
    ].join('\n'));
    const handle = startTorchTraining(config('cancel'), { python: py, packageDir: tmp });
    const logs: string[] = [];
    await new Promise<void>((ready) => handle.onLog((_l, m) => (logs.push(m), m === 'ready' && ready())));
    handle.cancel();
    // This stand-in sends no result, so the run ends as a stop without a record, after the TERM was handled.
    await expect(handle.result).rejects.toThrow(/exit code 143/);
    expect(logs).toEqual(['ready', 'got TERM']);
  });
});

describe.skipIf(!TORCH_PYTHON)('torch engine, for real', () => {
  it('trains a tiny folder dataset, and a crash after it marks the run failed with stderr', async () => {
    const data = path.join(tmp, 'data');
    for (const [c, n] of [['ant', 8], ['bee', 4]] as const) {
      mkdirSync(path.join(data, c), { recursive: true });
      spawnSync(TORCH_PYTHON!, ['-c', `from PIL import Image\nfor i in range(${n}): Image.new('RGB', (12, 12), (${c === 'ant' ? 200 : 20}, i * 9, 90)).save('${path.join(data, c)}/%d.png' % i)`]);
    }
    const outDir = path.join(tmp, 'real');
    const epochs: number[] = [];
    const record = await trainWithTorch({ dataDir: data, outDir, epochs: 1, batchSize: 4, size: 12 }, { python: TORCH_PYTHON!, device: 'cpu' }, { onEpoch: (e) => epochs.push(e.epoch) });
    expect(record.status).toBe('completed');
    expect(record.origin).toEqual({ kind: 'trained', engine: 'torch', processes: 1 });
    expect(epochs).toEqual([1]);
    expect(readRun(outDir).record.classes).toEqual(['ant', 'bee']);

    // A run whose engine dies without a word: run.json said "running" and now says "failed", with why.
    const running = { ...JSON.parse(readFileSync(path.join(outDir, 'run.json'), 'utf8')), status: 'running' };
    writeFileSync(path.join(outDir, 'run.json'), JSON.stringify(running));
    const crash = fakePython('segv', 'echo "Fatal Python error: Segmentation fault" >&2; kill -9 $$');
    await expect(startTorchTraining({ dataDir: data, outDir }, { python: crash, packageDir: tmp }).result).rejects.toThrow(/killed \(SIGKILL\)/);
    const after = readRun(outDir).record;
    expect(after.status).toBe('failed');
    expect(after.error).toContain('Segmentation fault');
  }, 120_000);
});
