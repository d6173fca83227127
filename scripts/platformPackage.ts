// What one platform package of LADE Studio carries besides the bundles: its own platform's native runtimes,
// copied out of node_modules into dist/node_modules, and no other platform's. Used by scripts/package.ts.
//
// Why dist/node_modules: Node resolves `webgpu` and `onnxruntime-node` from dist/*.js there first, and vsce
// --no-dependencies leaves a top-level node_modules out of the .vsix (while packing with dependencies would
// run `npm list` and demand every install-time dependency: adm-zip, global-agent, debug, ...).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PLATFORM_TARGETS, type PlatformTarget } from '../src/core/tf/gpuRuntime';

/** Where the staged natives go inside the extension. */
export const NATIVE_DIR = 'dist/node_modules';

/** One file or folder to copy: from node_modules/<from> to <NATIVE_DIR>/<to>. */
export interface NativeCopy {
  readonly from: string;
  readonly to: string;
}

export interface NativePlan {
  readonly copies: readonly NativeCopy[];
  /** node_modules paths the target needs that are absent: the target cannot be built here. */
  readonly missing: readonly string[];
}

/**
 * Whether a package file is needed at run time: not source maps or type declarations, and not macOS's
 * libonnxruntime.1.31.1.dylib, a byte-identical copy of libonnxruntime.1.dylib (npm turns the upstream
 * symlink into a file) that nothing loads: the binding and the library's own install name are @rpath/libonnxruntime.1.dylib.
 */
export function isRuntimeFile(file: string): boolean {
  return !/\.(map|d\.ts|d\.cts|d\.mts|ts)$/.test(file) && !/libonnxruntime\.\d+\.\d+\.\d+\.dylib$/.test(file);
}

/** The files of each native runtime for a target, relative to node_modules (folders copy whole). */
function runtimeFiles(t: PlatformTarget): string[] {
  const files = ['webgpu/package.json', 'webgpu/index.js', 'webgpu/LICENSE.md', `webgpu/dist/${t.dawn}`];
  if (t.onnxruntime) {
    files.push(
      'onnxruntime-node/package.json',
      'onnxruntime-node/dist',
      `onnxruntime-node/bin/napi-v6/${t.onnxruntime}`,
      // onnxruntime-node's one run-time dependency (its others, adm-zip and global-agent, only download at install).
      'onnxruntime-common/package.json',
      'onnxruntime-common/dist',
    );
  }
  return files;
}

/** What to copy for target (a PLATFORM_TARGETS name, or universal: nothing) from nodeModules, and what is missing there. */
export function planNatives(target: string, nodeModules: string): NativePlan {
  if (target === 'universal') return { copies: [], missing: [] };
  const t = PLATFORM_TARGETS.find((p) => p.target === target);
  if (!t) throw new Error(`unknown target '${target}': use one of ${PLATFORM_TARGETS.map((p) => p.target).join(', ')} or universal`);
  const files = runtimeFiles(t);
  return {
    copies: files.map((f) => ({ from: f, to: f })),
    missing: files.filter((f) => !existsSync(path.join(nodeModules, f))).map((f) => `node_modules/${f}`),
  };
}

/** Why target cannot be built from a node_modules, naming what it lacks; undefined when it can. */
export function refusal(plan: NativePlan, target: string): string | undefined {
  if (plan.missing.length === 0) return undefined;
  return `cannot build ${target}: node_modules lacks ${plan.missing.join(', ')} (build ${target} on a ${target} runner, where npm ci installs them)`;
}

/** Native binaries: Node addons and shared libraries (libonnxruntime.so.1, *.dylib, *.dll). */
export function isNativeBinary(file: string): boolean {
  return /\.(node|dll|dylib)$/.test(file) || /\.so(\.\d+)*$/.test(file);
}

/** The native binaries among files (paths inside the extension) that are not target's own; every one for universal. */
export function foreignBinaries(files: readonly string[], target: string): string[] {
  const t = PLATFORM_TARGETS.find((p) => p.target === target);
  const own = t ? [`webgpu/dist/${t.dawn}/`, ...(t.onnxruntime ? [`onnxruntime-node/bin/napi-v6/${t.onnxruntime}/`] : [])] : [];
  return files.filter((f) => isNativeBinary(f) && !own.some((o) => f.includes(`node_modules/${o}`)));
}
