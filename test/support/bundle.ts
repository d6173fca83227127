// Bundles one node entry (a worker or the CLI) the way esbuild.mjs does, into a file of the test's choosing,
// so tests run the real bundle without depending on every other bundle of the project building.
import { build } from 'esbuild';

export async function bundleNode(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node'],
    // fdir's ESM build breaks in a cjs bundle (esbuild.mjs does the same).
    alias: { fdir: './node_modules/fdir/dist/index.cjs' },
    logLevel: 'error',
  });
  return outfile;
}
