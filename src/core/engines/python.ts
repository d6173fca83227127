// Finding the Python that runs the PyTorch engine, and what its torch can do. The interpreter comes from
// an explicit choice (lade.python, --python, $LADE_PYTHON), else the Python extension's selected one, else
// python3 on the PATH; a short probe imports torch there and reports its version and devices.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface PythonCandidate {
  readonly command: string;
  /** Where the choice came from, as the user sees it: "lade.python", "the Python extension", "the PATH". */
  readonly source: string;
}

export interface TorchPython extends PythonCandidate {
  readonly torch: string;
  readonly python: string;
  readonly cuda: number;
  readonly mps: boolean;
}

export type TorchProbe = { readonly ok: true; readonly found: TorchPython } | { readonly ok: false; readonly reason: string };

/** The oldest torch the engine supports (Debian's python3-torch). */
export const MIN_TORCH: readonly [number, number] = [1, 13];

export const INSTALL_HINT =
  'Install Python 3.8+ with PyTorch (pip install torch torchvision numpy pillow, see https://pytorch.org/get-started; ' +
  'on Debian/Ubuntu: apt install python3-torch python3-torchvision python3-pil), then point lade.python (or --python) at that interpreter';

/** In order of preference; the first explicit one wins alone, as a user who names an interpreter means it. */
export function pythonCandidates(opts: { readonly setting?: string; readonly settingName?: string; readonly extension?: string }): PythonCandidate[] {
  if (opts.setting) return [{ command: opts.setting, source: opts.settingName ?? 'lade.python' }];
  if (opts.extension) return [{ command: opts.extension, source: 'the Python extension' }];
  return [{ command: process.platform === 'win32' ? 'python' : 'python3', source: 'the PATH' }];
}

const PROBE = [
  'import json, sys',
  'import torch',
  'mps = getattr(torch.backends, "mps", None)',
  'print(json.dumps({"torch": torch.__version__, "python": sys.version.split()[0],',
  '  "cuda": torch.cuda.device_count() if torch.cuda.is_available() else 0,',
  '  "mps": bool(mps and mps.is_available())}))',
].join('\n');

export function torchVersionOk(version: string): boolean {
  const [major = 0, minor = 0] = version.split(/[.+]/).map((s) => Number.parseInt(s, 10));
  return major > MIN_TORCH[0] || (major === MIN_TORCH[0] && minor >= MIN_TORCH[1]);
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? '';
}

/** Imports torch in `candidate` (seconds on a cold cache, hence the generous default timeout). */
export function probeTorch(candidate: PythonCandidate, timeoutMs = 60_000): Promise<TorchProbe> {
  const who = `${candidate.command} (from ${candidate.source})`;
  return new Promise((resolve) => {
    execFile(candidate.command, ['-c', PROBE], { timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        const why =
          e.code === 'ENOENT' ? 'not found' : e.killed ? `importing torch took over ${timeoutMs / 1000} s` : lastLine(stderr) || e.message;
        resolve({ ok: false, reason: `${who}: ${why}` });
        return;
      }
      try {
        const info = JSON.parse(lastLine(stdout)) as { torch: string; python: string; cuda: number; mps: boolean };
        if (!torchVersionOk(info.torch)) {
          resolve({ ok: false, reason: `${who}: torch ${info.torch} is older than ${MIN_TORCH.join('.')}` });
          return;
        }
        resolve({ ok: true, found: { ...candidate, ...info } });
      } catch {
        resolve({ ok: false, reason: `${who}: unexpected probe output '${lastLine(stdout).slice(0, 200)}'` });
      }
    });
  });
}

/** The first candidate with a usable torch, or why none was. */
export async function findTorch(candidates: readonly PythonCandidate[], timeoutMs?: number): Promise<TorchProbe> {
  const reasons: string[] = [];
  for (const c of candidates) {
    const p = await probeTorch(c, timeoutMs);
    if (p.ok) return p;
    reasons.push(p.reason);
  }
  return { ok: false, reason: reasons.join('; ') };
}

/**
 * lade_torch's parent folder, for PYTHONPATH: $LADE_TORCH_PACKAGE (a bundle built elsewhere, as the CLI
 * tests build theirs), else dist/python in a build (the CLI bundle and the packaged extension, where esbuild
 * copies it), else the checkout's python/ (sources run through tsx).
 */
export function torchPackageDir(here: string = typeof __dirname === 'string' ? __dirname : process.cwd()): string {
  const candidates = [
    ...(process.env.LADE_TORCH_PACKAGE ? [process.env.LADE_TORCH_PACKAGE] : []),
    path.join(here, 'python'),
    path.resolve(here, '..', '..', '..', 'python'),
    path.resolve(here, '..', 'python'),
  ];
  const found = candidates.find((d) => existsSync(path.join(d, 'lade_torch', 'train.py')));
  if (!found) throw new Error(`The PyTorch engine's Python package (lade_torch) is missing: looked in ${candidates.join(', ')}.`);
  return found;
}
