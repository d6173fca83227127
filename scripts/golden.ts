// npm run golden -- FILE [--backend wasm|cpu|webgpu] [--path autodiff|fused]
// Evaluates every case of a golden-schema file through the project's code (all backend x path combos
// by default), prints the largest absolute error of each quantity, and exits 1 when one is out of tolerance.
import { readFileSync } from 'node:fs';
import { checkGolden, formatReport, type GoldenBackend, type GoldenPath } from './golden-check';

const USAGE = 'usage: npm run golden -- FILE [--backend wasm|cpu|webgpu] [--path autodiff|fused]';

function parseArgs(argv: readonly string[]): { file: string; backends?: GoldenBackend[]; paths?: GoldenPath[] } {
  let file: string | undefined;
  let backends: GoldenBackend[] | undefined;
  let paths: GoldenPath[] | undefined;
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
    } else if (arg.startsWith('--') || file !== undefined) {
      throw new Error(`unexpected argument '${arg}'.\n${USAGE}`);
    } else {
      file = arg;
    }
  }
  if (file === undefined) throw new Error(`no golden file given.\n${USAGE}`);
  return { file, backends, paths };
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
