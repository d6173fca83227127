// What the backend report says about the GPU runtime a machine lacks, per platform, and how the training
// progress finds the advice in a reason.
import { describe, expect, it } from 'vitest';
import { driverAdvice, gpuAdvice, missingRuntime, platformTarget, withGpuAdvice } from '../../../../src/core/tf/gpuRuntime';

describe('GPU runtime advice', () => {
  it('names the platform package that carries Dawn, on a platform that has one', () => {
    const got = missingRuntime('linux', 'x64');
    expect(got.why).toBe('the webgpu package (Dawn) is not installed');
    expect(got.advice).toMatch(/^install LADE Studio's linux-x64 package \(/);
    expect(missingRuntime('darwin', 'arm64').advice).toContain("LADE Studio's darwin-arm64 package");
  });

  it('says there is no GPU package, and gives no advice, where none is built', () => {
    expect(platformTarget('linux', 'ia32')).toBeUndefined();
    expect(missingRuntime('linux', 'ia32')).toEqual({
      why: 'the webgpu package (Dawn) is not installed, and LADE Studio has no GPU package for linux-ia32',
    });
  });

  it("names each platform's graphics API for a missing driver", () => {
    expect(driverAdvice('linux')).toContain('Vulkan');
    expect(driverAdvice('win32')).toContain('Direct3D 12');
    expect(driverAdvice('darwin')).toContain('Metal');
  });

  it('appends advice to a reason and finds it there again', () => {
    const reason = withGpuAdvice('default (webgpu: no GPU adapter; tensorflow: none)', 'install the driver');
    expect(reason).toBe('default (webgpu: no GPU adapter; tensorflow: none). To use the GPU: install the driver.');
    expect(gpuAdvice(reason)).toBe('install the driver');
    expect(withGpuAdvice('requested explicitly', undefined)).toBe('requested explicitly');
    expect(gpuAdvice('requested explicitly')).toBeUndefined();
  });
});
