// npm run package -- [TARGET... | universal | all] [--out DIR] [--no-build]
// Builds the .vsix files users install: one per platform (vsce package --target T), each carrying its own
// platform's Dawn (the webgpu package, for the WebGPU backend) and ONNX Runtime CPU library
// (onnxruntime-node) in dist/node_modules and no other platform's, plus the universal package (no native
// runtime: wasm only), which the Marketplace serves where no platform package fits. Without a TARGET it
// builds this machine's. A target whose binaries node_modules lacks is refused, naming what is missing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { platformTarget, PLATFORM_TARGETS } from '../src/core/tf/gpuRuntime';
import { foreignBinaries, NATIVE_DIR, isRuntimeFile, planNatives, refusal, type NativePlan } from './platformPackage';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

class UsageError extends Error {}

interface Args {
  readonly targets: string[];
  readonly out: string;
  readonly build: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const targets: string[] = [];
  let out = root;
  let build = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = path.resolve(argv[++i] ?? '');
    else if (a === '--no-build') build = false;
    else if (a === 'all') targets.push('universal', ...PLATFORM_TARGETS.map((t) => t.target));
    else if (a === 'universal' || PLATFORM_TARGETS.some((t) => t.target === a)) targets.push(a);
    else throw new UsageError(`unknown target '${a}': use ${PLATFORM_TARGETS.map((t) => t.target).join(', ')}, universal or all`);
  }
  if (targets.length === 0) targets.push(platformTarget()?.target ?? 'universal');
  return { targets: [...new Set(targets)], out, build };
}

function run(cmd: string, args: readonly string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

const nodeModules = path.join(root, 'node_modules');
const plan = (target: string): NativePlan => planNatives(target, nodeModules);

/** The extension folder vsce packs: the manifest, README, LICENSE, media, dist and the target's natives. */
function stage(target: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'media', 'dist']) {
    cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
  }
  // Only the target's natives: never whatever a checkout's dist/ might hold there.
  rmSync(path.join(dir, NATIVE_DIR), { recursive: true, force: true });
  for (const c of plan(target).copies) {
    cpSync(path.join(nodeModules, c.from), path.join(dir, NATIVE_DIR, c.to), { recursive: true, filter: (src) => statSync(src).isDirectory() || isRuntimeFile(src) });
  }
}

interface PackageSummary {
  readonly file: string;
  readonly bytes: number;
  readonly unpackedBytes: number;
  readonly files: number;
}

/** Lists the .vsix without inflating it, and checks it holds the target's natives and no other platform's. */
function inspect(vsix: string, target: string): PackageSummary {
  const names: string[] = [];
  let unpackedBytes = 0;
  unzipSync(readFileSync(vsix), {
    filter: (f) => {
      names.push(f.name);
      unpackedBytes += f.originalSize;
      return false;
    },
  });
  const foreign = foreignBinaries(names, target);
  if (foreign.length > 0) throw new Error(`${vsix} holds other platforms' binaries: ${foreign.join(', ')}`);
  const wanted = plan(target).copies.map((c) => `extension/${NATIVE_DIR}/${c.to}`);
  const absent = wanted.filter((w) => !names.some((n) => n === w || n.startsWith(`${w}/`)));
  if (absent.length > 0) throw new Error(`${vsix} lacks ${absent.join(', ')}`);
  return { file: vsix, bytes: statSync(vsix).size, unpackedBytes, files: names.length };
}

function packageOne(target: string, out: string): PackageSummary {
  const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const dir = path.join(root, 'out', 'package', target);
  stage(target, dir);
  const vsix = path.join(out, target === 'universal' ? `${name}-${version}.vsix` : `${name}-${target}-${version}.vsix`);
  const vsce = require.resolve('@vscode/vsce/vsce');
  const targetArgs = target === 'universal' ? [] : ['--target', target];
  run(process.execPath, [vsce, 'package', ...targetArgs, '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], dir);
  rmSync(dir, { recursive: true, force: true });
  return inspect(vsix, target);
}

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  // Refuse a target before spending a build on it.
  const refusals = args.targets.map((t) => refusal(plan(t), t)).filter((r) => r !== undefined);
  if (refusals.length > 0) throw new UsageError(refusals.join('; '));
  if (args.build) run(process.execPath, ['esbuild.mjs', '--production'], root);
  mkdirSync(args.out, { recursive: true });
  const summaries = args.targets.map((t) => [t, packageOne(t, args.out)] as const);
  for (const [t, s] of summaries) {
    console.log(`${t}: ${path.relative(process.cwd(), s.file) || s.file} ${mib(s.bytes)} (${mib(s.unpackedBytes)} installed, ${s.files} files)`);
  }
}

try {
  main();
} catch (err) {
  console.error(`package: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
