// Runs the PyTorch engine's tests (python/tests) with the first Python that can import torch:
// $LADE_PYTHON, then /usr/bin/python3 (Debian's python3-torch), then python3 on PATH. Extra arguments go to pytest.
import { spawnSync } from 'node:child_process';

const candidates = [process.env.LADE_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
const python = candidates.find((p) => spawnSync(p, ['-c', 'import torch, torchvision, pytest'], { stdio: 'ignore' }).status === 0);
if (!python) {
  console.error(`test:python: no Python with torch, torchvision and pytest among ${candidates.join(', ')}; set LADE_PYTHON.`);
  process.exit(2);
}
const run = spawnSync(python, ['-m', 'pytest', '-q', 'python/tests', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
