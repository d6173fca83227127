// The opt-in WebGPU backend on a machine without a GPU (CI): the optional packages are installed, Dawn
// loads, no adapter is found, so 'webgpu' fails with a message that says why and 'auto' falls back to wasm.
// (The same code on a GPU machine is checked by scripts/gpu-check.ts.)
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasVulkanLoader, initBackend, type BackendReport } from '../../../../src/core/tf/backend';
import { driverAdvice, gpuAdvice } from '../../../../src/core/tf/gpuRuntime';

const require = createRequire(import.meta.url);
/** Without a Vulkan loader Dawn is not even started, and the reason says so and what would fix it. */
const NO_VULKAN = process.platform === 'linux' && !hasVulkanLoader();
const NO_ADAPTER = NO_VULKAN
  ? 'no GPU adapter: Dawn (the webgpu package) is installed, but no Vulkan loader (libvulkan.so.1) is'
  : 'no GPU adapter: Dawn (the webgpu package) is installed but finds no GPU';
const ADVICE = NO_VULKAN ? "install the Vulkan loader (libvulkan1) and the GPU's driver with Vulkan support" : driverAdvice();

/** The outcome of initBackend as a value: the report, or the error it threw. */
async function outcome(choice: 'webgpu' | 'auto'): Promise<BackendReport | Error> {
  return initBackend(choice).then(
    (r) => r,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
}

describe('webgpu backend without a GPU adapter', () => {
  it('looks for the Vulkan loader in the given library folders', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lade-vk-'));
    expect(hasVulkanLoader([dir])).toBe(false);
    writeFileSync(path.join(dir, 'libvulkan.so.1'), '');
    expect(hasVulkanLoader(['/nonexistent', dir])).toBe(true);
  });

  it('has the optional packages installed', () => {
    expect(() => require.resolve('webgpu')).not.toThrow();
    expect(() => require.resolve('@tensorflow/tfjs-backend-webgpu')).not.toThrow();
  });

  it("initBackend('webgpu') fails naming the missing adapter (or, on a GPU machine, runs webgpu)", async () => {
    const got = await outcome('webgpu');
    if (got instanceof Error) {
      expect(got.message).toBe(`Backend 'webgpu' is not available: ${NO_ADAPTER}. To use the GPU: ${ADVICE}.`);
    } else {
      expect(got.name).toBe('webgpu');
      expect(got.reason).toMatch(/^GPU adapter found \(Dawn\): \S/);
    }
  });

  it("initBackend('auto') falls back to wasm, says what Dawn lacks and how to enable the GPU", async () => {
    const webgpu = await outcome('webgpu');
    const got = await outcome('auto');
    if (webgpu instanceof Error) {
      expect(got).toEqual({
        name: 'wasm',
        reason: `default (webgpu: ${NO_ADAPTER}; tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed). To use the GPU: ${ADVICE}.`,
      });
      // The training progress shows the advice on its own.
      expect(gpuAdvice((got as BackendReport).reason)).toBe(ADVICE);
    } else {
      expect(got).toMatchObject({ name: 'webgpu' });
    }
  });
});
