// Logits of an ONNX model over image files, batch by batch: the project's decoder and bilinear resize
// (src/core/train/images.ts), then the model's layout and normalisation.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { decodeImage, resizeInto } from '../train/images';
import { writeRow } from './input';
import type { OnnxModel } from './session';

export const BATCH = 64;

export interface InferProgress {
  readonly phase: 'decode' | 'infer';
  /** Images finished before this batch. */
  readonly done: number;
  readonly total: number;
}

export interface InferOptions {
  readonly batch?: number;
  /** Leave out files that do not decode (and list them) instead of failing: for unlabelled folders. */
  readonly skipUndecodable?: boolean;
  readonly onProgress?: (p: InferProgress) => void;
}

export interface InferResult {
  /** rows x numClasses, row-major. */
  readonly logits: Float32Array<ArrayBuffer>;
  readonly rows: number;
  /** Decode errors of the files left out (skipUndecodable only). */
  readonly skipped: readonly string[];
}

export async function inferFiles(model: OnnxModel, files: readonly string[], options: InferOptions = {}): Promise<InferResult> {
  const { size, channels, layout, name } = model.input;
  const batch = options.batch ?? BATCH;
  const per = size * size * channels;
  const C = model.numClasses;
  const pixels = new Uint8Array(per);
  const logits = new Float32Array(files.length * C);
  const skipped: string[] = [];
  let rows = 0;
  for (let start = 0; start < files.length; start += batch) {
    options.onProgress?.({ phase: 'decode', done: start, total: files.length });
    const chunk = files.slice(start, start + batch);
    const x = new Float32Array(chunk.length * per);
    let n = 0;
    for (const file of chunk) {
      try {
        resizeInto(decodeImage(readFileSync(file), file), size, channels, pixels);
      } catch (e) {
        if (!options.skipUndecodable) throw e;
        skipped.push((e as Error).message);
        continue;
      }
      writeRow(pixels, model.input, model.norm, x, n++);
    }
    if (n === 0) continue;
    options.onProgress?.({ phase: 'infer', done: start, total: files.length });
    const dims = layout === 'NCHW' ? [n, channels, size, size] : [n, size, size, channels];
    const feed = new ort.Tensor('float32', x.subarray(0, n * per), dims);
    const result = await model.session.run({ [name]: feed });
    const y = result[model.output]!.data as Float32Array;
    if (y.length !== n * C) throw new Error(`The model returned ${y.length} values for ${n} images of ${C} classes.`);
    logits.set(y, rows * C);
    rows += n;
    for (const t of Object.values(result)) t.dispose();
  }
  options.onProgress?.({ phase: 'infer', done: files.length, total: files.length });
  return { logits: rows === files.length ? logits : logits.slice(0, rows * C), rows, skipped };
}
