// logits-<split>.bin (Float32, N x C, little-endian) and labels-<split>.bin (Int32, N) in a run folder,
// the inputs of `lade eval` and the metrics module, and their plain top-1 accuracy. No TF.js here, so
// importers of outside logits use the same code without loading it.
import path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';

export function accuracyOf(logits: Float32Array, labels: Int32Array, numClasses: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (logits[i * numClasses + c] > logits[i * numClasses + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return labels.length === 0 ? 0 : correct / labels.length;
}

export function writeEvalFiles(runDir: string, split: string, logits: Float32Array, labels: Int32Array): void {
  writeFileAtomic(path.join(runDir, `logits-${split}.bin`), [new Uint8Array(logits.buffer, logits.byteOffset, logits.byteLength)]);
  writeFileAtomic(path.join(runDir, `labels-${split}.bin`), [new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength)]);
}
