// The python that PyTorch comparisons run: BENCH_PYTHON, then python3 on PATH, then Debian's /usr/bin/python3
// (a pyenv shim on PATH can hide the system's torch).
import { spawnSync } from 'node:child_process';

/** The first python that imports torch (and the extra modules asked for), or null. */
export function torchPython(modules: readonly string[] = []): string | null {
  const candidates = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  const probe = `import ${['torch', ...modules].join(', ')}`;
  return candidates.find((p) => spawnSync(p, ['-c', probe], { stdio: 'ignore' }).status === 0) ?? null;
}
