// Turns cached uint8 pixels into normalised float batches, with the training augmentation (random crop
// with zero padding, horizontal flip) drawn from the run's seeded generator.
import type { PixelSource } from './pixelCache';
import type { Rng } from '../rng';

export interface Normalisation {
  readonly mean: number;
  readonly std: number;
}

/** Inputs are (pixel / 255 - mean) / std, the same for every channel; stored in run.json for inference. */
export const NORMALISATION: Normalisation = { mean: 0.5, std: 0.25 };
export const CROP_PADDING = 4;

export interface BatchShape {
  readonly size: number;
  readonly channels: number;
}

/**
 * Fills x (indices.length x size x size x C floats) and y with the samples at `indices`; when `rng` is
 * given each image is randomly shifted by up to CROP_PADDING pixels (zero fill) and flipped with p = 1/2.
 */
export function fillBatch(
  source: PixelSource,
  labels: Int32Array,
  indices: ArrayLike<number>,
  shape: BatchShape,
  x: Float32Array,
  y: Int32Array,
  rng?: Rng,
): void {
  const { size, channels } = shape;
  const px = new Uint8Array(source.sampleBytes);
  const scale = 1 / (255 * NORMALISATION.std);
  const shift = NORMALISATION.mean / NORMALISATION.std;
  const zero = -shift;
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b];
    source.read(i, px);
    y[b] = labels[i];
    const base = b * source.sampleBytes;
    if (!rng) {
      for (let k = 0; k < px.length; k++) x[base + k] = px[k] * scale - shift;
      continue;
    }
    const dy = rng.int(2 * CROP_PADDING + 1) - CROP_PADDING;
    const dx = rng.int(2 * CROP_PADDING + 1) - CROP_PADDING;
    const flip = rng.next() < 0.5;
    for (let r = 0; r < size; r++) {
      const sr = r + dy;
      for (let c = 0; c < size; c++) {
        const sc = (flip ? size - 1 - c : c) + dx;
        const o = base + (r * size + c) * channels;
        const inside = sr >= 0 && sr < size && sc >= 0 && sc < size;
        const s = (sr * size + sc) * channels;
        for (let ch = 0; ch < channels; ch++) x[o + ch] = inside ? px[s + ch] * scale - shift : zero;
      }
    }
  }
}
