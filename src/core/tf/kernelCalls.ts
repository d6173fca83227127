// How our wasm kernels are built: they call the wasm backend's registered kernel functions directly on
// TensorInfos, as the backends' own composite kernels do, free every intermediate they create, and may
// replace a stock kernel by a wrapper that handles some shapes and hands the rest to it.
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };
export type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

export const BACKEND = 'wasm';

/** Number of elements of a shape (1 for a scalar). */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Calls the wasm backend's registered kernel `name`; the composites only use single-output kernels. */
export function call(name: string, backend: object, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): TensorInfo {
  const kernel = tf.getKernel(name, BACKEND);
  if (!kernel) throw new Error(`The wasm backend has no '${name}' kernel to compose from.`);
  const out = (kernel.kernelFunc as KernelFn)({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`Kernel '${name}' returned several outputs.`);
  return out;
}

/** A fresh copy of x's data with `shape` (a new buffer with its own record, unlike Reshape or Identity). */
export function copyAs(backend: object, x: TensorInfo, shape: number[]): TensorInfo {
  const heap = backend as { makeOutput(shape: number[], dtype: tf.DataType): TensorInfo; typedArrayFromHeap(t: TensorInfo): tf.TypedArray };
  const out = heap.makeOutput(shape, x.dtype);
  heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(x));
  return out;
}

export function free(backend: object, ...infos: TensorInfo[]): void {
  for (const t of infos) (backend as tf.KernelBackend).disposeData(t.dataId);
}

/** Replaces a stock wasm kernel by a wrapper that may delegate to it (its setupFunc is kept). */
export function wrapStock(name: string, factory: (stock: KernelFn) => KernelFn): void {
  const stock = tf.getKernel(name, BACKEND);
  if (!stock) throw new Error(`The wasm backend has no '${name}' kernel to wrap.`);
  tf.unregisterKernel(name, BACKEND);
  tf.registerKernel({
    kernelName: name,
    backendName: BACKEND,
    kernelFunc: factory(stock.kernelFunc as KernelFn) as tf.KernelFunc,
    ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}),
  });
}

