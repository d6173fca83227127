// The 'tensorflow' backend found through LADE_NATIVE_DIR, where "LADE: Install Native Backend" installs
// tfjs-node, without libtensorflow: a fake @tensorflow/tfjs-node in a temp folder registers a backend named
// 'tensorflow' through its own copy of tfjs-core (as the real one does); tfjs-core keeps the engine and the
// kernel registry on the global object, so the bundle's tf.setBackend('tensorflow') finds it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src/core/tf/backend';

const require = createRequire(import.meta.url);
const root = mkdtempSync(path.join(tmpdir(), 'lade-native-dir-'));

afterEach(async () => {
  delete process.env.LADE_NATIVE_DIR;
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy (not a link: Node would resolve a link to the repo's own file) of tfjs-core's node bundle. */
function copyTfjsCore(modules: string): void {
  const core = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
  const dest = path.join(modules, '@tensorflow', 'tfjs-core');
  mkdirSync(path.join(dest, 'dist'), { recursive: true });
  copyFileSync(path.join(core, 'package.json'), path.join(dest, 'package.json'));
  copyFileSync(path.join(core, 'dist', 'tf-core.node.js'), path.join(dest, 'dist', 'tf-core.node.js'));
  // Its own dependencies may be shared: only tfjs-core itself has to be a second instance.
  for (const dep of ['seedrandom', 'node-fetch', 'long']) {
    symlinkSync(path.dirname(require.resolve(`${dep}/package.json`)), path.join(modules, dep), 'dir');
  }
}

/** A native folder as the install command leaves it, with a fake package whose index.js is `main`. */
function nativeFolder(name: string, pkg: string, main: string): string {
  const dir = path.join(root, name);
  const modules = path.join(dir, 'node_modules');
  copyTfjsCore(modules);
  const pkgDir = path.join(modules, pkg);
  mkdirSync(pkgDir, { recursive: true });
  writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: pkg, version: '4.22.0', main: 'index.js' }));
  writeFileSync(path.join(pkgDir, 'index.js'), main);
  return dir;
}

// Registers 'tensorflow' through the copy: a cpu backend instance with the cpu kernels re-registered for it.
const fakeTfjsNode = `
const tf = require('@tensorflow/tfjs-core');
globalThis.__ladeFakeNativeCore = tf;
tf.registerBackend('tensorflow', () => tf.findBackendFactory('cpu')());
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
`;

describe('the tensorflow backend from LADE_NATIVE_DIR', () => {
  it('is not found without LADE_NATIVE_DIR', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(
      "Backend 'tensorflow' is not available: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed.",
    );
  });

  it('loads the package from the folder and runs ops on the backend it registers through its own tfjs-core', async () => {
    const dir = nativeFolder('works', '@tensorflow/tfjs-node', fakeTfjsNode);
    process.env.LADE_NATIVE_DIR = dir;
    const report = await initBackend('tensorflow');
    expect(report).toEqual({ name: 'tensorflow', reason: `@tensorflow/tfjs-node is installed in ${dir} (LADE_NATIVE_DIR)` });
    const fakeCore = (globalThis as { __ladeFakeNativeCore?: unknown }).__ladeFakeNativeCore;
    expect(fakeCore).toBeDefined();
    expect(fakeCore).not.toBe(require('@tensorflow/tfjs-core'));
    expect(tf.getBackend()).toBe('tensorflow');
    expect(tf.add([1, 2], [3, 4]).arraySync()).toEqual([4, 6]);
  });

  it('says why a package in the folder failed to load', async () => {
    const dir = nativeFolder('broken', '@tensorflow/tfjs-node-gpu', `throw new Error('libcudnn.so.8: cannot open shared object file');`);
    process.env.LADE_NATIVE_DIR = dir;
    await expect(initBackend('tensorflow')).rejects.toThrow(
      `Backend 'tensorflow' is not available: @tensorflow/tfjs-node-gpu in ${dir} failed to load (libcudnn.so.8: cannot open shared object file).`,
    );
  });
});
