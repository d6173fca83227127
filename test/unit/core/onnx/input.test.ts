// Input shape and normalisation rules for ONNX image classifiers.
import { describe, expect, it } from 'vitest';
import { inputSpec, normalisation, writeRow } from '../../../../src/core/onnx/input';

const meta = (shape: (number | string)[]) => ({ name: 'x', isTensor: true, type: 'float32', shape });

describe('inputSpec', () => {
  it('reads NCHW and NHWC, preferring NCHW when both fit', () => {
    expect(inputSpec(meta(['batch', 3, 32, 32]), 'm')).toEqual({ name: 'x', size: 32, channels: 3, layout: 'NCHW' });
    expect(inputSpec(meta(['N', 28, 28, 1]), 'm')).toEqual({ name: 'x', size: 28, channels: 1, layout: 'NHWC' });
    expect(inputSpec(meta([1, 3, 3, 3]), 'm').layout).toBe('NCHW');
  });

  it('names the file and the shape when it cannot be an image input', () => {
    expect(() => inputSpec(meta(['batch', 3, 'h', 'w']), 'model.onnx')).toThrow(/'model.onnx' input 'x' has shape \[batch, 3, h, w\]/);
    expect(() => inputSpec(meta(['batch', 784]), 'm')).toThrow(/\[batch, C, H, W\]/);
    expect(() => inputSpec({ ...meta([1, 3, 8, 8]), type: 'uint8' }, 'm')).toThrow(/not a float32/);
  });
});

describe('normalisation', () => {
  const metadata = new Map([
    ['mean', '0.5,0.4,0.3'],
    ['std', '0.25'],
  ]);
  it('takes flags over metadata_props over mean 0 / std 1, per side', () => {
    expect(normalisation({}, new Map(), 3)).toEqual({ mean: [0, 0, 0], std: [1, 1, 1], source: 'default' });
    expect(normalisation({}, metadata, 3)).toEqual({ mean: [0.5, 0.4, 0.3], std: [0.25, 0.25, 0.25], source: 'metadata' });
    expect(normalisation({ mean: '0.485,0.456,0.406' }, metadata, 3)).toEqual({ mean: [0.485, 0.456, 0.406], std: [0.25, 0.25, 0.25], source: 'flags' });
  });
  it('refuses wrong counts, non-numbers and non-positive std, naming the flag', () => {
    expect(() => normalisation({ mean: '0.1,0.2' }, metadata, 3)).toThrow(/--mean '0.1,0.2' has 2 values; the model takes 3/);
    expect(() => normalisation({ std: '0.2,,0.3' }, metadata, 3)).toThrow(/--std/);
    expect(() => normalisation({}, new Map([['mean', 'imagenet']]), 3)).toThrow(/metadata_props 'mean'/);
    expect(() => normalisation({ std: '0' }, new Map(), 1)).toThrow(/std must be positive/);
  });
});

describe('writeRow', () => {
  it('normalises per channel into NCHW planes or NHWC pixels', () => {
    // Two 1x1 RGB images.
    const px = Uint8Array.from([255, 0, 51, 0, 255, 102]);
    const norm = { mean: [0, 0.5, 0], std: [1, 0.5, 0.2], source: 'flags' as const };
    const spec = { name: 'x', size: 1, channels: 3 as const };
    const nchw = new Float32Array(6);
    writeRow(px.subarray(0, 3), { ...spec, layout: 'NCHW' }, norm, nchw, 1);
    expect([...nchw.subarray(3)].map((v) => +v.toFixed(5))).toEqual([1, -1, 1]);
    const nhwc = new Float32Array(3);
    writeRow(px.subarray(3), { ...spec, layout: 'NHWC' }, norm, nhwc, 0);
    expect([...nhwc].map((v) => +v.toFixed(5))).toEqual([0, 1, 2]);
  });
});
