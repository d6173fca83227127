// What a platform package carries: its own platform's Dawn and ONNX Runtime, no other platform's, and a
// target whose binaries node_modules lacks is refused by name.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foreignBinaries, isNativeBinary, isRuntimeFile, planNatives, refusal } from '../../../scripts/platformPackage';

/** A node_modules holding only the linux-x64 binaries of webgpu and onnxruntime-node, as npm ci on one runner might. */
function linuxOnlyNodeModules(): string {
  const nm = mkdtempSync(path.join(os.tmpdir(), 'lade-pack-'));
  for (const f of [
    'webgpu/package.json',
    'webgpu/index.js',
    'webgpu/LICENSE.md',
    'webgpu/dist/linux-x64/dawn.node',
    'onnxruntime-node/package.json',
    'onnxruntime-node/dist/index.js',
    'onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    'onnxruntime-common/package.json',
    'onnxruntime-common/dist/cjs/index.js',
  ]) {
    mkdirSync(path.dirname(path.join(nm, f)), { recursive: true });
    writeFileSync(path.join(nm, f), '');
  }
  return nm;
}

describe('platform package natives', () => {
  it("copies only the target's own binary folders", () => {
    const plan = planNatives('linux-x64', linuxOnlyNodeModules());
    expect(plan.missing).toEqual([]);
    const from = plan.copies.map((c) => c.from);
    expect(from).toContain('webgpu/dist/linux-x64');
    expect(from).toContain('onnxruntime-node/bin/napi-v6/linux/x64');
    expect(from.filter((f) => f.includes('/dist/') || f.includes('/bin/'))).toEqual(['webgpu/dist/linux-x64', 'onnxruntime-node/bin/napi-v6/linux/x64']);
    expect(planNatives('darwin-arm64', linuxOnlyNodeModules()).copies.map((c) => c.from)).toContain('webgpu/dist/darwin-universal');
  });

  it('refuses a target whose binaries are absent, naming each missing folder', () => {
    const plan = planNatives('linux-arm64', linuxOnlyNodeModules());
    expect(plan.missing).toEqual(['node_modules/webgpu/dist/linux-arm64', 'node_modules/onnxruntime-node/bin/napi-v6/linux/arm64']);
    expect(refusal(plan, 'linux-arm64')).toBe(
      'cannot build linux-arm64: node_modules lacks node_modules/webgpu/dist/linux-arm64, node_modules/onnxruntime-node/bin/napi-v6/linux/arm64 (build linux-arm64 on a linux-arm64 runner, where npm ci installs them)',
    );
    expect(refusal(planNatives('linux-x64', linuxOnlyNodeModules()), 'linux-x64')).toBeUndefined();
  });

  it('carries Dawn alone where onnxruntime-node publishes no binary (Intel macOS)', () => {
    const plan = planNatives('darwin-x64', linuxOnlyNodeModules());
    expect(plan.copies.some((c) => c.from.startsWith('onnxruntime'))).toBe(false);
    expect(plan.missing).toEqual(['node_modules/webgpu/dist/darwin-universal']);
  });

  it('universal carries nothing; an unknown target is an error', () => {
    expect(planNatives('universal', '/nonexistent')).toEqual({ copies: [], missing: [] });
    expect(() => planNatives('alpine-x64', '/nonexistent')).toThrow(/unknown target 'alpine-x64'/);
  });

  it("finds other platforms' binaries in a package listing", () => {
    const names = [
      'extension/dist/extension.js',
      'extension/dist/node_modules/webgpu/dist/linux-x64/dawn.node',
      'extension/dist/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'extension/dist/node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime.dll',
      'extension/dist/node_modules/webgpu/dist/darwin-universal/dawn.node',
    ];
    expect(foreignBinaries(names, 'linux-x64')).toEqual(names.slice(3));
    expect(foreignBinaries(names, 'universal')).toEqual(names.slice(1));
    expect(isNativeBinary('libonnxruntime.1.31.1.dylib')).toBe(true);
    expect(isNativeBinary('a/libvips-cpp.so.8.18.7')).toBe(true);
    expect(isNativeBinary('index.js')).toBe(false);
  });

  it("leaves source maps, type declarations and macOS's duplicate ONNX Runtime library out", () => {
    expect(isRuntimeFile('dist/index.js')).toBe(true);
    expect(isRuntimeFile('dist/index.js.map')).toBe(false);
    expect(isRuntimeFile('dist/index.d.ts')).toBe(false);
    expect(isRuntimeFile('bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib')).toBe(true);
    expect(isRuntimeFile('bin/napi-v6/darwin/arm64/libonnxruntime.1.31.1.dylib')).toBe(false);
  });
});
