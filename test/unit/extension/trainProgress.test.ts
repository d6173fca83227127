// The Train command's progress line: on wasm for want of a GPU runtime it says how to enable the GPU.
import { describe, expect, it, vi } from 'vitest';
import { withGpuAdvice } from '../../../src/core/tf/gpuRuntime';
import { progressMessage } from '../../../src/extension/training/command';
import type { TrainProgress } from '../../../src/protocol/training';

vi.mock('vscode');

const base: TrainProgress = {
  phase: 'train',
  epoch: 1,
  epochs: 2,
  step: 3,
  steps: 10,
  loss: { total: 1.5 },
  accuracy: 0.5,
  lr: 0.01,
  imagesPerSec: 300,
  etaSec: 5,
  backend: 'wasm',
  backendReason: withGpuAdvice('default (webgpu: no GPU adapter: Dawn (the webgpu package) is installed, but no Vulkan loader (libvulkan.so.1) is; tensorflow: none)', 'install the Vulkan loader (libvulkan1)'),
};

describe('training progress message', () => {
  it('says how to enable the GPU when the backend reason gives advice', () => {
    expect(progressMessage(base)).toBe('epoch 1/2, step 3/10 · loss 1.500 · 300 img/s on wasm · to use the GPU: install the Vulkan loader (libvulkan1)');
  });

  it('adds nothing on a GPU or when wasm was asked for', () => {
    expect(progressMessage({ ...base, backend: 'webgpu', backendReason: 'GPU adapter found (Dawn): nvidia' })).toBe('epoch 1/2, step 3/10 · loss 1.500 · 300 img/s on webgpu');
    expect(progressMessage({ ...base, phase: 'decode', backendReason: 'requested explicitly' })).toBe('decode 3/10 on wasm');
  });
});
