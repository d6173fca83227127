// The opt-in WebGPU backend on a machine without a GPU (CI): the optional packages are installed, Dawn
// loads, no adapter is found, so 'webgpu' fails with a message that says why and 'auto' falls back to wasm.
// (The same code on a GPU machine is checked by scripts/gpu-check.ts.)
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendReport } from '../../../../src/core/tf/backend';

const require = createRequire(import.meta.url);

/** The outcome of initBackend as a value: the report, or the error it threw. */
async function outcome(choice: 'webgpu' | 'auto'): Promise<BackendReport | Error> {
  return initBackend(choice).then(
    (r) => r,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
}

describe('webgpu backend without a GPU adapter', () => {
  it('has the optional packages installed', () => {
    expect(() => require.resolve('webgpu')).not.toThrow();
    expect(() => require.resolve('@tensorflow/tfjs-backend-webgpu')).not.toThrow();
  });

  it("initBackend('webgpu') fails naming the missing adapter (or, on a GPU machine, runs webgpu)", async () => {
    const got = await outcome('webgpu');
    if (got instanceof Error) {
      expect(got.message).toBe("Backend 'webgpu' is not available: no GPU adapter.");
    } else {
      expect(got.name).toBe('webgpu');
      expect(got.reason).toMatch(/^GPU adapter found \(Dawn\): \S/);
    }
  });

  it("initBackend('auto') falls back to wasm and says there was no GPU adapter", async () => {
    const webgpu = await outcome('webgpu');
    const got = await outcome('auto');
    if (webgpu instanceof Error) {
      expect(got).toEqual({
        name: 'wasm',
        reason: 'default (no GPU adapter; neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed)',
      });
    } else {
      expect(got).toMatchObject({ name: 'webgpu' });
    }
  });
});
