// Chooses and initialises the TF.js backend, and always says which one and why.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BackendSetting } from '../runs/config';
import { registerBatchNormGradient } from './batchNormGrad';
import { driverAdvice, missingRuntime, withGpuAdvice } from './gpuRuntime';
import { registerWasmTrainingKernels } from './wasmKernels';

/** The backends a run may ask for (the one list, in src/core/runs/config.ts). */
export type BackendChoice = BackendSetting;

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
  registerWasmTrainingKernels();
  registerBatchNormGradient();
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to initialise.');
  await tf.ready();
}

/**
 * Imports an optional package that is never a required dependency: its module, undefined when it is not
 * installed, or why an installed one failed to load (a missing native binary, a library it links against).
 */
async function importOptional(name: string): Promise<{ module: unknown } | { error: string } | undefined> {
  try {
    return { module: await import(name) };
  } catch (err) {
    const { code, message } = err as NodeJS.ErrnoException;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${name}'`)) return undefined;
    return { error: String(message).split('\n')[0] ?? '' };
  }
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}
interface AdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}
interface WebGpuPackage {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

function isWebGpuPackage(m: unknown): m is WebGpuPackage {
  const o = m as Partial<WebGpuPackage> | undefined;
  return typeof o?.create === 'function' && typeof o.globals === 'object';
}

let dawnGpu: GpuLike | undefined;

const LINUX_LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib'];

/**
 * Dawn needs the Vulkan loader on Linux; without it Dawn prints a native warning on every start and finds
 * no adapter. Looking first keeps CI logs clean and gives the user the actual reason.
 */
export function hasVulkanLoader(dirs: readonly string[] = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LINUX_LIB_DIRS]): boolean {
  return dirs.some((d) => existsSync(path.join(d, 'libvulkan.so.1')));
}

/** Why WebGPU is unusable here (what was found, what is lacking) and, when something would fix it, what. */
interface Unavailable {
  readonly why: string;
  readonly advice?: string;
}

/** Tries WebGPU through Dawn (the `webgpu` package): returns a report, or why it is unusable. */
async function tryWebGpu(): Promise<BackendReport | Unavailable> {
  const imported = await importOptional('webgpu');
  if (imported === undefined) return missingRuntime();
  if ('error' in imported) return { why: `the webgpu package (Dawn) is installed but failed to load (${imported.error})` };
  const dawn = imported.module;
  if (!isWebGpuPackage(dawn)) return { why: 'the installed webgpu package is not Dawn for Node (no create() or globals)' };
  if (process.platform === 'linux' && !dawnGpu && !hasVulkanLoader()) {
    return { why: 'no GPU adapter: Dawn (the webgpu package) is installed, but no Vulkan loader (libvulkan.so.1) is', advice: "install the Vulkan loader (libvulkan1) and the GPU's driver with Vulkan support" };
  }
  try {
    // One Dawn instance per process: a second create() whose predecessor is then collected aborts Node.
    dawnGpu ??= dawn.create([]);
  } catch (err) {
    return { why: `the webgpu package failed to start Dawn (${(err as Error).message})` };
  }
  const gpu = dawnGpu;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { why: 'no GPU adapter: Dawn (the webgpu package) is installed but finds no GPU', advice: driverAdvice() };
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  try {
    // A literal import, so esbuild bundles the backend against the bundle's own tfjs-core (backends register
    // with one core instance). It registers 'webgpu' on load only if navigator.gpu exists: set just above.
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch {
    return { why: 'a GPU adapter exists but @tensorflow/tfjs-backend-webgpu is not installed' };
  }
  if (!(await tf.setBackend('webgpu').catch(() => false))) return { why: 'the webgpu backend failed to initialise' };
  return { name: 'webgpu', reason: `GPU adapter found (Dawn): ${describeAdapter(adapter)}` };
}

/** The adapter's name as Dawn reports it, e.g. 'nvidia hopper, NVIDIA H200 (Vulkan ...)'. */
function describeAdapter(adapter: unknown): string {
  const info = (adapter as { info?: AdapterInfoLike }).info;
  const parts = [info?.vendor, info?.architecture, info?.description || info?.device].filter((p) => p);
  return parts.length > 0 ? parts.join(', ') : 'unnamed adapter';
}

/**
 * Loads pkg from $LADE_NATIVE_DIR/node_modules, where "LADE: Install Native Backend" puts it (the bundle's own
 * import() cannot see that folder). It brings its own tfjs-core copy, but tfjs-core keeps the engine and the
 * kernel registry on the global object, so the 'tensorflow' backend it registers is the one tf.setBackend finds.
 * Returns undefined when it is not there, or why it failed to load.
 */
function requireFromNativeDir(pkg: string): { loaded: true } | { error: string } | undefined {
  const dir = process.env.LADE_NATIVE_DIR;
  if (!dir || !existsSync(path.join(dir, 'node_modules', pkg))) return undefined;
  try {
    createRequire(path.join(dir, 'package.json'))(pkg);
    return { loaded: true };
  } catch (err) {
    return { error: `${pkg} in ${dir} failed to load (${(err as Error).message.split('\n')[0]})` };
  }
}

/** tfjs-node(-gpu) registers the native 'tensorflow' backend on import. */
async function tryTensorflow(): Promise<BackendReport | string> {
  const failures: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    let where = 'is installed';
    const imported = await importOptional(pkg);
    if (imported !== undefined && 'error' in imported) {
      failures.push(`${pkg} is installed but failed to load (${imported.error})`);
      continue;
    }
    if (imported === undefined) {
      const native = requireFromNativeDir(pkg);
      if (native === undefined) continue;
      if ('error' in native) {
        failures.push(native.error);
        continue;
      }
      where = `is installed in ${process.env.LADE_NATIVE_DIR ?? ''} (LADE_NATIVE_DIR)`;
    }
    if (await tf.setBackend('tensorflow').catch(() => false)) return { name: 'tensorflow', reason: `${pkg} ${where}` };
  }
  if (failures.length > 0) return failures.join('; ');
  return 'neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed';
}

export async function initBackend(choice: BackendChoice): Promise<BackendReport> {
  switch (choice) {
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('The cpu backend failed to initialise.');
      return { name: 'cpu', reason: 'requested explicitly (pure JavaScript, 20-300x slower than wasm)' };
    case 'wasm':
      await initWasm();
      return { name: 'wasm', reason: 'requested explicitly' };
    case 'webgpu': {
      const got = await tryWebGpu();
      if ('why' in got) {
        const message = `Backend 'webgpu' is not available: ${got.why}`;
        throw new Error(got.advice ? withGpuAdvice(message, got.advice) : `${message}.`);
      }
      return got;
    }
    case 'tensorflow': {
      const got = await tryTensorflow();
      if (typeof got === 'string') throw new Error(`Backend 'tensorflow' is not available: ${got}.`);
      return got;
    }
    case 'auto': {
      // GPU first (the platform package carries Dawn), then native TensorFlow, else wasm.
      const gpu = await tryWebGpu();
      if (!('why' in gpu)) return gpu;
      const native = await tryTensorflow();
      if (typeof native !== 'string') return native;
      await initWasm();
      return { name: 'wasm', reason: withGpuAdvice(`default (webgpu: ${gpu.why}; tensorflow: ${native})`, gpu.advice) };
    }
    default:
      throw new Error(`Unknown backend '${String(choice)}': use auto, wasm, cpu, webgpu or tensorflow.`);
  }
}
