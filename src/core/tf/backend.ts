// Chooses and initialises the TF.js backend, and always says which one and why.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import path from 'node:path';

export type BackendChoice = 'auto' | 'wasm' | 'cpu' | 'webgpu' | 'tensorflow';

export interface BackendReport {
  /** The tfjs backend name actually in use. */
  readonly name: string;
  /** Why this backend was chosen, in words a user can act on. */
  readonly reason: string;
}

/** Folder holding the tfjs-backend-wasm .wasm files: next to the bundle (dist/wasm) or in node_modules. */
export function locateWasmDir(): string {
  const candidates = [
    process.env.LADE_WASM_DIR,
    typeof __dirname === 'string' ? path.join(__dirname, 'wasm') : undefined,
    path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  ];
  for (const dir of candidates) {
    if (dir && existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))) return dir;
  }
  throw new Error(
    'Cannot find the tfjs-backend-wasm .wasm files (looked in dist/wasm and node_modules); set LADE_WASM_DIR.',
  );
}

let wasmPathsSet = false;

export async function initWasm(): Promise<void> {
  if (!wasmPathsSet) {
    setWasmPaths(locateWasmDir() + path.sep);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to initialise.');
  await tf.ready();
}

export async function initBackend(choice: BackendChoice): Promise<BackendReport> {
  switch (choice) {
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('The cpu backend failed to initialise.');
      return { name: 'cpu', reason: 'requested explicitly (pure JavaScript, 20-300x slower than wasm)' };
    case 'wasm':
      await initWasm();
      return { name: 'wasm', reason: 'requested explicitly' };
    case 'auto':
      await initWasm();
      return { name: 'wasm', reason: 'default: always available, SIMD, no GPU backend requested' };
    default:
      throw new Error(`Backend '${choice}' is not available in this build.`);
  }
}
