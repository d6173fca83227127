// Bundles one node entry (a worker or the CLI) the way esbuild.mjs does, into a file of the test's choosing,
// so tests run the real bundle without depending on every other bundle of the project building.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

export async function bundleNode(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node', 'onnxruntime-common'],
    logLevel: 'error',
  });
  return outfile;
}

/**
 * The ONNX inference worker, bundled under the repository's out/ (git-ignored): onnxruntime-node is a native
 * package left external, so the bundle must sit where require() finds node_modules. Returns its path.
 */
export async function bundleOnnxWorker(dir?: string): Promise<string> {
  mkdirSync('out', { recursive: true });
  const outDir = dir ?? mkdtempSync(path.resolve('out', 'onnx-worker-'));
  return bundleNode('src/core/onnx/onnxInfer.worker.ts', path.join(outDir, 'onnxInfer.worker.js'));
}
