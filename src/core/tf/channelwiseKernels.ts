// Per-channel arithmetic on activations for the wasm backend, as a 1x1 depthwise convolution (XNNPACK's
// SIMD kernel, bias fused): x * v, x + v, x - v and v - x with v one value per channel (last axis), and
// training-mode batch norm. The stock kernels take a generic broadcasting path that is 2x slower for the
// arithmetic and 5x for FusedBatchNorm on ResNet activations. Each result is rounded exactly as the stock
// kernel rounds it: x * v + 0, x * 1 + v, x * (-1) + v are one rounding each, like x * v, x + v, v - x.
import { call, copyAs, free, sizeOf, type KernelArgs, type KernelFn, type TensorInfo, wrapStock } from './kernelCalls';

/** v's channel count when v broadcasts along x's last axis only ([C] or [1, ..., 1, C]); else 0. */
function perChannel(x: TensorInfo, v: TensorInfo): number {
  const c = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || c === undefined || v.shape.length > x.shape.length) return 0;
  if (v.shape[v.shape.length - 1] !== c || sizeOf(v.shape) !== c) return 0;
  return x.dtype === 'float32' && v.dtype === 'float32' ? c : 0;
}

/** x * filter + bias per channel, on x viewed as [1, 1, rows, C]; the result has x's shape. */
function depthwise(backend: object, x: TensorInfo, c: number, filter: TensorInfo, bias: TensorInfo | null): TensorInfo {
  const x4 = call('Reshape', backend, { x }, { shape: [1, 1, sizeOf(x.shape) / c, c] });
  const f4 = call('Reshape', backend, { x: filter }, { shape: [1, 1, c, 1] });
  const attrs = { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' };
  const y = bias
    ? call('FusedDepthwiseConv2D', backend, { x: x4, filter: f4, bias }, { ...attrs, activation: 'linear' })
    : call('DepthwiseConv2dNative', backend, { x: x4, filter: f4 }, attrs);
  free(backend, x4, f4);
  const out = call('Reshape', backend, { x: y }, { shape: [...x.shape] });
  free(backend, y);
  return out;
}

function fill(backend: object, c: number, value: number): TensorInfo {
  return call('Fill', backend, {}, { shape: [c], value, dtype: 'float32' });
}

/**
 * v as [C]. A bias must be a tensor of rank 1 in the backend's own records, which a Reshape (it shares
 * the data) does not change: copy anything of higher rank (C values).
 */
function flat(backend: object, v: TensorInfo, c: number): TensorInfo {
  return v.shape.length === 1 ? call('Reshape', backend, { x: v }, { shape: [c] }) : copyAs(backend, v, [c]);
}

/** x * v (either operand the activation). */
function multiplyFactory(stock: KernelFn): KernelFn {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const [x, v] = perChannel(a, b) ? [a, b] : [b, a];
    const c = perChannel(x, v);
    if (!c) return stock(args);
    return depthwise(args.backend, x, c, v, null);
  };
}

/** x + v, x - v or v - x: x times 1 or -1, v (or -v) as the fused bias. */
function addSubFactory(subtract: boolean): (stock: KernelFn) => KernelFn {
  return (stock) => (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { backend } = args;
    const xFirst = perChannel(a, b) > 0;
    const [x, v] = xFirst ? [a, b] : [b, a];
    const c = perChannel(x, v);
    if (!c) return stock(args);
    const sign = fill(backend, c, subtract && !xFirst ? -1 : 1);
    const v1 = flat(backend, v, c);
    const bias = subtract && xFirst ? call('Neg', backend, { x: v1 }) : v1;
    const out = depthwise(backend, x, c, sign, bias);
    free(backend, sign, v1);
    if (bias !== v1) free(backend, bias);
    return out;
  };
}

/**
 * (x - mean) * (scale / sqrt(variance + eps)) + offset as two passes, x - mean then * a + offset: not
 * folded into one x * a + b, which would cancel digits when the mean is large against the spread.
 */
function batchNormFactory(stock: KernelFn): KernelFn {
  return (args: KernelArgs) => {
    const { backend } = args;
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, TensorInfo | undefined>;
    if (!x || !mean || !variance) return stock(args);
    const params = [mean, variance, offset, scale].filter((t): t is TensorInfo => t !== undefined);
    const c = x.shape[x.shape.length - 1] ?? 0;
    if (!c || params.some((t) => perChannel(x, t) !== c)) return stock(args);
    const eps = (args.attrs?.varianceEpsilon as number | undefined) ?? 0.001;
    const ones = fill(backend, c, 1);
    const mean1 = flat(backend, mean, c);
    const negMean = call('Neg', backend, { x: mean1 });
    const centred = depthwise(backend, x, c, ones, negMean);
    free(backend, mean1, negMean);
    const var1 = flat(backend, variance, c);
    const epsT = call('Fill', backend, {}, { shape: [], value: eps, dtype: 'float32' });
    const shifted = call('Add', backend, { a: var1, b: epsT });
    const invStd = call('Rsqrt', backend, { x: shifted });
    free(backend, var1, epsT, shifted);
    const scale1 = scale ? flat(backend, scale, c) : null;
    const gain = scale1 ? call('Multiply', backend, { a: invStd, b: scale1 }) : invStd;
    if (scale1) free(backend, scale1);
    const bias = offset ? flat(backend, offset, c) : call('Fill', backend, {}, { shape: [c], value: 0, dtype: 'float32' });
    const out = depthwise(backend, centred, c, gain, bias);
    free(backend, ones, centred, invStd, bias);
    if (gain !== invStd) free(backend, gain);
    return out;
  };
}

export function registerChannelwiseKernels(): void {
  wrapStock('Multiply', multiplyFactory);
  wrapStock('Add', addSubFactory(false));
  wrapStock('Sub', addSubFactory(true));
  wrapStock('FusedBatchNorm', batchNormFactory);
}
