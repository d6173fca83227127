// Bundles src/cli/main.ts the way esbuild.mjs does, into a temp folder, so CLI tests run the real bundle
// without depending on every other bundle of the project building.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

export async function buildCli(): Promise<string> {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'lade-cli-test-'));
  await build({
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'],
    alias: { fdir: './node_modules/fdir/dist/index.cjs' },
    logLevel: 'warning',
  });
  return path.join(outdir, 'cli.js');
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(cli: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
