// Training kernels the tfjs-backend-wasm 4.22 build lacks (or runs slowly), composed from its forward
// kernels so they stay in XNNPACK (how they are built: kernelCalls.ts):
//  - Conv2DBackpropFilter: dW = Conv2D(x^T, dy^T, dilations = strides), the batch axis becoming the
//    reduction (channel) axis.
//  - Conv2DBackpropInput: a forward Conv2D of dy (zero-inserted for strides > 1) with the spatially
//    flipped, in/out-swapped filter (about 1.7x faster than the stock deconvolution at stride 1, 3x at
//    stride 2); padding it cannot express keeps the stock kernel.
//  - UnsortedSegmentSum (the gradient of gather): oneHot(segmentIds)^T x as one matmul.
//  - BatchMatMul with a transposed operand (every dense-layer gradient): the stock kernel leaves XNNPACK
//    then and runs ~10x slower, so transpose explicitly and multiply untransposed.
//  - Sum and Mean over leading axes (bias and batch-norm gradients, batch moments): one average pool
//    over them instead of a transposing reduction.
//  - MaxPoolGrad for non-overlapping pools (k = stride, no padding): one-hot of the window's first argmax
//    times dy, instead of the stock scalar loop.
//  - Identity sharing its input's data instead of copying it (autodiff clones every saved tensor).
//  - Per-channel arithmetic and batch norm (channelwiseKernels.ts).
import * as tf from '@tensorflow/tfjs';
import { BACKEND, call, free, sizeOf, type KernelArgs, type KernelFn, type TensorInfo, wrapStock } from './kernelCalls';
import { registerChannelwiseKernels } from './channelwiseKernels';

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

interface PadInfo {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function conv2dInfo(
  xShape: number[],
  filterShape: number[],
  strides: [number, number] | number,
  pad: unknown,
  dimRoundingMode: unknown,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad as 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
    dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

function assertChannelsLast(attrs: tf.NamedAttrMap | undefined, kernel: string): void {
  const format = attrs?.dataFormat;
  if (format !== undefined && format !== 'NHWC' && format !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports only NHWC data, got dataFormat '${String(format)}'.`);
  }
}

// The wasm Transpose kernel is 2-4x slower on these 4-D permutations of activations than on the 2-D
// and outer-axes-swap ones they decompose into (measured on training shapes).

/** x [N, ..., C] as [C, ..., N] (`shape`): a 2-D transpose to [..., C, N], then the outer two axes swapped. */
function swapOuterAxes(backend: object, x: TensorInfo, shape: number[]): TensorInfo {
  const n = x.shape[0];
  const c = x.shape[x.shape.length - 1];
  const inner = sizeOf(x.shape.slice(1, -1));
  const flat = call('Reshape', backend, { x }, { shape: [n, inner * c] });
  const t = call('Transpose', backend, { x: flat }, { perm: [1, 0] }); // [inner * C, N]
  free(backend, flat);
  const t3 = call('Reshape', backend, { x: t }, { shape: [inner, c, n] });
  free(backend, t);
  const swapped = call('Transpose', backend, { x: t3 }, { perm: [1, 0, 2] }); // [C, inner, N]
  free(backend, t3);
  const out = call('Reshape', backend, { x: swapped }, { shape });
  free(backend, swapped);
  return out;
}

/** dy [N, OH, OW, Co] as [OH, OW, N, Co]. */
function moveBatchInward(backend: object, dy: TensorInfo): TensorInfo {
  const [n, oh, ow, co] = dy.shape;
  const dy3 = call('Reshape', backend, { x: dy }, { shape: [n, oh * ow, co] });
  const t = call('Transpose', backend, { x: dy3 }, { perm: [1, 0, 2] });
  free(backend, dy3);
  const out = call('Reshape', backend, { x: t }, { shape: [oh, ow, n, co] });
  free(backend, t);
  return out;
}

/** dW[fh,fw,ci,co] = sum_{n,oh,ow} x[n, oh*s+fh-top, ow*s+fw-left, ci] * dy[n,oh,ow,co]. */
function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  assertChannelsLast(attrs, 'Conv2DBackpropFilter');
  const filterShape = attrs?.filterShape as number[];
  const strides = attrs?.strides as [number, number] | number;
  const info = conv2dInfo(x.shape, filterShape, strides, attrs?.pad, attrs?.dimRoundingMode);
  const pad: PadInfo = info.padInfo;
  const [, inH, inW] = x.shape as number[];
  const [fh, fw] = [info.filterHeight, info.filterWidth];
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  // Extra bottom/right padding so the composed conv yields at least fh x fw outputs (extra rows are sliced).
  const bottom = Math.max(0, fh - inH - pad.top + (oh - 1) * sh);
  const right = Math.max(0, fw - inW - pad.left + (ow - 1) * sw);
  const explicit: Pad4 = [
    [0, 0],
    [pad.top, bottom],
    [pad.left, right],
    [0, 0],
  ];
  const [n, , , ci] = x.shape;
  const xT = swapOuterAxes(backend, x, [ci, inH, inW, n]); // [Ci, H, W, N]
  const dyT = moveBatchInward(backend, dy); // [OH, OW, N, Co]
  const conv = call(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: explicit, dilations: [sh, sw], dataFormat: 'NHWC' },
  ); // [Ci, >=FH, >=FW, Co]
  free(backend, xT, dyT);
  let cropped = conv;
  if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
    cropped = call('Slice', backend, { x: conv }, { begin: [0, 0, 0, 0], size: [-1, fh, fw, -1] });
    free(backend, conv);
  }
  const dw = call('Transpose', backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  free(backend, cropped);
  return dw;
}

/**
 * dy with (s - 1) zeros after every row and column: [N, OH*sh, OW*sw, Co]. Stride-s input gradients are
 * then a stride-1 convolution of it, the trailing zeros standing in for bottom/right padding.
 */
function zeroInsert(backend: object, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [n, oh, ow, co] = dy.shape;
  const dy6 = call('Reshape', backend, { x: dy }, { shape: [n, oh, 1, ow, 1, co] });
  const paddings = [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]];
  const spread = call('PadV2', backend, { x: dy6 }, { paddings, constantValue: 0 });
  free(backend, dy6);
  const out = call('Reshape', backend, { x: spread }, { shape: [n, oh * sh, ow * sw, co] });
  free(backend, spread);
  return out;
}

function conv2DBackpropInputFactory(stock: KernelFn | undefined): KernelFn {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const inputShape = attrs?.inputShape as number[];
    const strides = attrs?.strides as [number, number] | number;
    const info = conv2dInfo(inputShape, filter.shape, strides, attrs?.pad, attrs?.dimRoundingMode);
    const pad: PadInfo = info.padInfo;
    const [fh, fw] = [info.filterHeight, info.filterWidth];
    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
    const [inH, inW] = [inputShape[1], inputShape[2]];
    // Padding of the stride-1 convolution over the zero-inserted dy (its own trailing zeros count as
    // bottom/right padding), chosen so the output is exactly inH x inW.
    const top = fh - 1 - pad.top;
    const left = fw - 1 - pad.left;
    const bottom = inH + fh - 1 - oh * sh - top;
    const right = inW + fw - 1 - ow * sw - left;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) {
      if (!stock) throw new Error('Conv2DBackpropInput with this padding needs the stock wasm kernel.');
      return stock(args);
    }
    assertChannelsLast(attrs, 'Conv2DBackpropInput');
    const flipped = call('Reverse', backend, { x: filter }, { dims: [0, 1] });
    const swapped = call('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] }); // [FH, FW, Co, Ci]
    free(backend, flipped);
    const spread = sh === 1 && sw === 1 ? dy : zeroInsert(backend, dy, sh, sw);
    const explicit: Pad4 = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const dx = call(
      'Conv2D',
      backend,
      { x: spread, filter: swapped },
      { strides: [1, 1], pad: explicit, dilations: [1, 1], dataFormat: 'NHWC' },
    );
    free(backend, swapped);
    if (spread !== dy) free(backend, spread);
    return dx;
  };
}

/** out[s, ...] = sum over i with segmentIds[i] = s of x[i, ...]; ids outside [0, numSegments) are dropped. */
function unsortedSegmentSum(args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const ids = inputs.segmentIds as TensorInfo;
  const numSegments = attrs?.numSegments as number;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm supports float32 only, got ${x.dtype}.`);
  const m = sizeOf(ids.shape);
  const rest = x.shape.slice(ids.shape.length);
  const r = sizeOf(rest);
  const flatIds = call('Reshape', backend, { x: ids }, { shape: [m] });
  const intIds = ids.dtype === 'int32' ? flatIds : call('Cast', backend, { x: flatIds }, { dtype: 'int32' });
  // The wasm OneHot kernel writes int32 whatever dtype it is asked for, so cast explicitly.
  const hotInt = call('OneHot', backend, { indices: intIds }, { depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32' });
  if (intIds !== flatIds) free(backend, intIds);
  free(backend, flatIds);
  const hot = call('Cast', backend, { x: hotInt }, { dtype: 'float32' });
  free(backend, hotInt);
  const hot3 = call('Reshape', backend, { x: hot }, { shape: [1, m, numSegments] });
  const x3 = call('Reshape', backend, { x }, { shape: [1, m, r] });
  const prod = call('BatchMatMul', backend, { a: hot3, b: x3 }, { transposeA: true, transposeB: false });
  free(backend, hot, hot3, x3);
  const out = call('Reshape', backend, { x: prod }, { shape: [numSegments, ...rest] });
  free(backend, prod);
  return out;
}

function batchMatMulFactory(stock: KernelFn): KernelFn {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return stock(args);
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const perm = (t: TensorInfo): number[] => [...t.shape.slice(0, -2).map((_, i) => i), t.shape.length - 1, t.shape.length - 2];
    const a2 = transposeA ? call('Transpose', backend, { x: a }, { perm: perm(a) }) : a;
    const b2 = transposeB ? call('Transpose', backend, { x: b }, { perm: perm(b) }) : b;
    const out = stock({ inputs: { ...inputs, a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    if (a2 !== a) free(backend, a2);
    if (b2 !== b) free(backend, b2);
    return out;
  };
}

/**
 * Sum or Mean over leading axes as one average pool whose window spans them: x viewed as [1, m, 1, r]
 * pooled by [m, 1]. XNNPACK's pooling reads x once; the stock kernels transpose x first, and a ones-vector
 * matmul repacks x as a weight matrix on every call (20-40x slower on a fresh batch-norm activation).
 */
function leadingReduceFactory(mean: boolean): (stock: KernelFn) => KernelFn {
  return (stock) =>
    (args: KernelArgs): TensorInfo | TensorInfo[] => {
      const { inputs, backend, attrs } = args;
      const x = inputs.x as TensorInfo;
      const rank = x.shape.length;
      const axes = ([] as number[]).concat(attrs?.axis as number | number[]).map((a) => (a < 0 ? a + rank : a));
      const leading = axes.length > 0 && axes.length < rank && [...axes].sort((p, q) => p - q).every((a, i) => a === i);
      if (!leading || x.dtype !== 'float32') return stock(args);
      const m = sizeOf(x.shape.slice(0, axes.length));
      const rest = x.shape.slice(axes.length);
      const r = sizeOf(rest);
      const outShape = attrs?.keepDims === true ? [...axes.map(() => 1), ...rest] : rest;
      if (m === 0) return call('Fill', backend, {}, { shape: outShape, value: mean ? NaN : 0, dtype: 'float32' });
      const x4 = call('Reshape', backend, { x }, { shape: [1, m, 1, r] });
      const avg = call('AvgPool', backend, { x: x4 }, { filterSize: [m, 1], strides: [1, 1], pad: 'valid' });
      free(backend, x4);
      let reduced = avg;
      if (!mean) {
        const count = call('Fill', backend, {}, { shape: [], value: m, dtype: 'float32' });
        reduced = call('Multiply', backend, { a: avg, b: count });
        free(backend, avg, count);
      }
      const out = call('Reshape', backend, { x: reduced }, { shape: outShape });
      free(backend, reduced);
      return out;
    };
}

function maxPoolGradFactory(stock: KernelFn): KernelFn {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const x = inputs.input as TensorInfo;
    const k = ([] as number[]).concat(attrs?.filterSize as number | number[]);
    const st = ([] as number[]).concat(attrs?.strides as number | number[]);
    const [kh, kw] = [k[0], k[1] ?? k[0]];
    const [sh, sw] = [st[0], st[1] ?? st[0]];
    const [n, h, w, c] = x.shape;
    const [oh, ow] = [dy.shape[1], dy.shape[2]];
    // Windows tile the top-left oh*kh x ow*kw block (valid padding); leftover rows/columns get no gradient.
    const tiled = kh === sh && kw === sw && oh === Math.floor(h / kh) && ow === Math.floor(w / kw);
    if (!tiled || x.dtype !== 'float32') return stock(args);
    const [ch, cw] = [oh * kh, ow * kw];
    const cropped = ch === h && cw === w ? x : call('Slice', backend, { x }, { begin: [0, 0, 0, 0], size: [n, ch, cw, c] });
    const x6 = call('Reshape', backend, { x: cropped }, { shape: [n, oh, kh, ow, kw, c] });
    if (cropped !== x) free(backend, cropped);
    const windows = call('Transpose', backend, { x: x6 }, { perm: [0, 1, 3, 5, 2, 4] }); // [n, oh, ow, c, kh, kw]
    free(backend, x6);
    const flat = call('Reshape', backend, { x: windows }, { shape: [n * oh * ow * c, kh * kw] });
    free(backend, windows);
    const arg = call('ArgMax', backend, { x: flat }, { axis: [1] });
    free(backend, flat);
    const hotInt = call('OneHot', backend, { indices: arg }, { depth: kh * kw, onValue: 1, offValue: 0, dtype: 'int32' });
    free(backend, arg);
    const hot = call('Cast', backend, { x: hotInt }, { dtype: 'float32' });
    free(backend, hotInt);
    const dyCol = call('Reshape', backend, { x: dy }, { shape: [n * oh * ow * c, 1] });
    const spread = call('Multiply', backend, { a: hot, b: dyCol });
    free(backend, hot, dyCol);
    const spread6 = call('Reshape', backend, { x: spread }, { shape: [n, oh, ow, c, kh, kw] });
    free(backend, spread);
    const back = call('Transpose', backend, { x: spread6 }, { perm: [0, 1, 4, 2, 5, 3] }); // [n, oh, kh, ow, kw, c]
    free(backend, spread6);
    const dxBlock = call('Reshape', backend, { x: back }, { shape: [n, ch, cw, c] });
    free(backend, back);
    if (ch === h && cw === w) return dxBlock;
    const paddings = [[0, 0], [0, h - ch], [0, w - cw], [0, 0]];
    const dx = call('PadV2', backend, { x: dxBlock }, { paddings, constantValue: 0 });
    free(backend, dxBlock);
    return dx;
  };
}

/**
 * Identity shares the data (as Reshape does, and as the cpu backend's Identity does) instead of copying
 * it: autodiff clones every tensor it saves for the backward pass, ~250 activation copies per ResNet step.
 * Kernels never write into their inputs, so a shared buffer is safe.
 */
function sharedIdentity(args: KernelArgs): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') throw new Error('Identity on wasm: string tensors are not supported.');
  (args.backend as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

let registered = false;

/** Registers the composed training kernels for the wasm backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const stockInput = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (stockInput) tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
  const stockFn = stockInput ? (stockInput.kernelFunc as KernelFn) : undefined;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: BACKEND,
    kernelFunc: conv2DBackpropInputFactory(stockFn) as tf.KernelFunc,
    // The stock kernel binds its wasm function in setupFunc; keep it so the stride > 1 fallback works.
    ...(stockInput?.setupFunc ? { setupFunc: stockInput.setupFunc } : {}),
  });
  wrapStock('BatchMatMul', batchMatMulFactory);
  wrapStock('Sum', leadingReduceFactory(false));
  wrapStock('Mean', leadingReduceFactory(true));
  wrapStock('MaxPoolGrad', maxPoolGradFactory);
  registerChannelwiseKernels();
  for (const [name, fn] of [
    ['Conv2DBackpropFilter', conv2DBackpropFilter],
    ['UnsortedSegmentSum', unsortedSegmentSum],
    ['Identity', sharedIdentity],
  ] as const) {
    if (tf.getKernel(name, BACKEND)) tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: fn as tf.KernelFunc });
  }
}
