// Builds every bundle: the extension (node, cjs, vscode external), the CLI, node worker threads
// (any src/**/*.worker.ts -> dist/<name>.worker.js), and one browser bundle per webview
// (webview/<panel>/main.ts -> dist/webview/<panel>.js, plus webview/<panel>/*.css copied, and
// webview/<panel>/<name>.worker.ts -> dist/webview/<name>.worker.js for web workers).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native packages load their platform's binary from their own folder, so they are never bundled: the optional
  // engines are loaded only when present; webgpu and onnxruntime-node ship in the platform packages'
  // dist/node_modules (scripts/package.ts) and resolve from node_modules in a checkout.
  external: ['vscode', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node', 'onnxruntime-common'],
};

const workerEntries = Object.fromEntries(
  walk('src')
    .filter((f) => f.endsWith('.worker.ts'))
    .map((f) => [path.basename(f, '.ts'), f]),
);

const webviewEntries = existsSync('webview')
  ? Object.fromEntries(
      readdirSync('webview')
        .filter((d) => existsSync(path.join('webview', d, 'main.ts')))
        .flatMap((d) => [
          [`webview/${d}`, path.join('webview', d, 'main.ts')],
          // Web workers of a panel: webview/<panel>/<name>.worker.ts -> dist/webview/<name>.worker.js
          ...readdirSync(path.join('webview', d))
            .filter((f) => f.endsWith('.worker.ts'))
            .map((f) => [`webview/${path.basename(f, '.ts')}`, path.join('webview', d, f)]),
        ]),
    )
  : {};

// Each `lade` subcommand (src/cli/commands.ts: `load: () => import('./name')`) is its own bundle,
// dist/cli-<name>.js, loaded only when run: `lade analyze` must not parse TF.js on every start.
const cliCommands = [...readFileSync('src/cli/commands.ts', 'utf8').matchAll(/import\('\.\/([\w-]+)'\)/g)].map((m) => m[1]);
const cliCommandsExternal = {
  name: 'cli-commands-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+$/ }, (args) =>
      path.resolve(args.importer) === path.resolve('src/cli/commands.ts')
        ? { path: `./cli-${args.path.slice(2)}.js`, external: true }
        : undefined,
    );
  },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  {
    ...nodeCommon,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [cliCommandsExternal],
    // Load them with require(): import() of a cjs file makes Node lex it for named exports first.
    supported: { 'dynamic-import': false },
  },
  { ...nodeCommon, entryPoints: Object.fromEntries(cliCommands.map((c) => [`cli-${c}`, `src/cli/${c}.ts`])), outdir: 'dist' },
  { ...nodeCommon, entryPoints: workerEntries, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: webviewEntries,
    outdir: 'dist',
    loader: { '.css': 'css' },
  },
];

function copyAssets() {
  mkdirSync('dist/wasm', { recursive: true });
  const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) {
    cpSync(path.join(wasmDir, f), path.join('dist/wasm', f));
  }
  // The PyTorch engine's package travels in dist/python (CLI and .vsix alike), put on PYTHONPATH when run.
  rmSync('dist/python', { recursive: true, force: true });
  cpSync('python/lade_torch', 'dist/python/lade_torch', { recursive: true, filter: (src) => !src.includes('__pycache__') });
}

copyAssets();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.filter((b) => Object.keys(b.entryPoints).length > 0).map((b) => esbuild.build(b)));
}
