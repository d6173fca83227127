// The native runtimes LADE Studio's platform-specific packages carry (vsce --target), and the words the backend
// report uses when a machine trains without its GPU. One table for both: scripts/package.ts stages exactly
// these folders, and the report names the package a machine lacks. No imports: the extension host reads it.

export interface PlatformTarget {
  /** The Marketplace target, `${process.platform}-${process.arch}` (vsce package --target). */
  readonly target: string;
  /** The webgpu package's dist/<folder>: Dawn's dawn.node (and, on Windows, the DirectX shader compilers). */
  readonly dawn: string;
  /** onnxruntime-node's bin/napi-v6/<folder>; absent where onnxruntime-node publishes no binary. */
  readonly onnxruntime?: string;
}

export const PLATFORM_TARGETS: readonly PlatformTarget[] = [
  { target: 'linux-x64', dawn: 'linux-x64', onnxruntime: 'linux/x64' },
  { target: 'linux-arm64', dawn: 'linux-arm64', onnxruntime: 'linux/arm64' },
  { target: 'win32-x64', dawn: 'win32-x64', onnxruntime: 'win32/x64' },
  { target: 'win32-arm64', dawn: 'win32-arm64', onnxruntime: 'win32/arm64' },
  { target: 'darwin-arm64', dawn: 'darwin-universal', onnxruntime: 'darwin/arm64' },
  // onnxruntime-node 1.31 ships no Intel macOS binary: this package carries Dawn only.
  { target: 'darwin-x64', dawn: 'darwin-universal' },
];

export function platformTarget(platform: string = process.platform, arch: string = process.arch): PlatformTarget | undefined {
  return PLATFORM_TARGETS.find((t) => t.target === `${platform}-${arch}`);
}

/** Introduces the advice at the end of a backend reason; gpuAdvice() finds it there again. */
const ADVICE = ' To use the GPU: ';

/** A backend reason with how to enable the GPU appended (when there is advice to give). */
export function withGpuAdvice(reason: string, advice: string | undefined): string {
  return advice ? `${reason}.${ADVICE}${advice}.` : reason;
}

/** The how-to-enable-the-GPU advice in a backend reason (shown in the training progress), if it has one. */
export function gpuAdvice(reason: string): string | undefined {
  const at = reason.indexOf(ADVICE);
  return at < 0 ? undefined : reason.slice(at + ADVICE.length).replace(/\.$/, '');
}

/** Why there is no GPU runtime here and what would bring one, for a machine without the webgpu package. */
export function missingRuntime(platform: string = process.platform, arch: string = process.arch): { why: string; advice?: string } {
  const t = platformTarget(platform, arch);
  if (!t) return { why: `the webgpu package (Dawn) is not installed, and LADE Studio has no GPU package for ${platform}-${arch}` };
  return {
    why: 'the webgpu package (Dawn) is not installed',
    advice: `install LADE Studio's ${t.target} package (the Marketplace serves it to this machine; the universal .vsix carries no GPU runtime), or for the CLI run npm install webgpu`,
  };
}

/** What a machine whose Dawn finds no adapter needs: the GPU driver of its platform's graphics API. */
export function driverAdvice(platform: string = process.platform): string {
  const api = platform === 'win32' ? 'Direct3D 12' : platform === 'darwin' ? 'Metal' : 'Vulkan';
  return `install or update the GPU's driver with ${api} support`;
}
