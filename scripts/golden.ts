// npm run golden -- FILE [--backend wasm|cpu|webgpu] [--path autodiff|fused] [--engine tfjs|torch]
// Evaluates every case of a golden-schema file through the project's code (all backend x path combos
// by default), prints the largest absolute error of each quantity, and exits 1 when one is out of tolerance.
// --engine torch runs the cases through the PyTorch engine's losses instead (lade_torch.golden, same tolerances),
// in the first Python with torch ($LADE_PYTHON, else python3 on the PATH).
import { spawnSync } from 'node:child_process';import { readFileSync } from 'node:fs';
import { findTorch, pythonCandidates, torchPackageDir } from '../src/core/engines/python';
import { torchEnv } from '../src/core/engines/torchRunner';
import { checkGolden, formatReport, type GoldenBackend, type GoldenPath } from './golden-check';

const USAGE = 'usage: npm run golden -- FILE [--backend wasm|cpu|webgpu] [--path autodiff|fused] [--engine tfjs|torch]';

function parseArgs(argv: readonly string[]): { file: string; backends?: GoldenBackend[]; paths?: GoldenPath[]; engine: 'tfjs' | 'torch' } {
  let file: string | undefined;
  let backends: GoldenBackend[] | undefined;
  let paths: GoldenPath[] | undefined;
  let engine: 'tfjs' | 'torch' = 'tfjs';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--backend') {
      const v = argv[++i];
      if (v !== 'wasm' && v !== 'cpu' && v !== 'webgpu') throw new Error(`--backend must be wasm, cpu or webgpu, got ${v ?? 'nothing'}.\n${USAGE}`);
      backends = [v];
    } else if (arg === '--path') {
      const v = argv[++i];
      if (v !== 'autodiff' && v !== 'fused') throw new Error(`--path must be autodiff or fused, got ${v ?? 'nothing'}.\n${USAGE}`);
      paths = [v];
    } else if (arg === '--engine') {
      const v = argv[++i];
      if (v !== 'tfjs' && v !== 'torch') throw new Error(`--engine must be tfjs or torch, got ${v ?? 'nothing'}.\n${USAGE}`);
      engine = v;
    } else if (arg.startsWith('--') || file !== undefined) {
      throw new Error(`unexpected argument '${arg}'.\n${USAGE}`);
    } else {
      file = arg;
    }
  }
  if (file === undefined) throw new Error(`no golden file given.\n${USAGE}`);
  if (engine === 'torch' && (backends || paths)) throw new Error(`--backend and --path are TF.js choices.\n${USAGE}`);
  return { file, backends, paths, engine };
}

async function torchGolden(file: string): Promise<number> {
  const probe = await findTorch(pythonCandidates({ setting: process.env.LADE_PYTHON, settingName: '$LADE_PYTHON' }));
  if (!probe.ok) {
    console.error(`golden: --engine torch needs a Python with torch >= 1.13 (${probe.reason}); set LADE_PYTHON.`);
    return 2;
  }
  const { command, torch } = probe.found;
  console.log(`golden: ${file} through the PyTorch engine (lade_torch.golden, torch ${torch} at ${command}, the same tolerances)`);
  const r = spawnSync(command, ['-m', 'lade_torch.golden', file], { stdio: 'inherit', env: torchEnv(torchPackageDir(__dirname)) });
  return r.status ?? 1;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`golden: ${(err as Error).message}`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(args.file, 'utf8'));
  } catch (err) {
    console.error(`golden: cannot read ${args.file}: ${(err as Error).message}`);
    return 2;
  }
  if (args.engine === 'torch') return torchGolden(args.file);
  console.log(`golden: ${args.file}`);
  try {
    const report = await checkGolden(doc, { backends: args.backends, paths: args.paths });
    console.log(formatReport(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    console.error(`golden: ${args.file}: ${(err as Error).message}`);
    return 2;
  }
}

main().then((code) => {
  process.exitCode = code;
});
