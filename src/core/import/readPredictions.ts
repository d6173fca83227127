// Picks the reader by file extension and checks what it read against the run's classes: the shape, the
// labels' range and length, and that every logit is finite. Every message names the file and the array.
import path from 'node:path';
import { readLogitsCsv } from './csv';
import { ImportError } from './errors';
import { readNpz } from './npz';
import type { Predictions, ReadOptions } from './predictions';
import { readSafetensors } from './safetensors';

const READERS: Readonly<Record<string, (file: string, options: ReadOptions) => Predictions>> = {
  '.npz': readNpz,
  '.safetensors': readSafetensors,
  '.csv': readLogitsCsv,
};

export const PREDICTION_EXTENSIONS = Object.keys(READERS);

export function isPredictionsFile(file: string): boolean {
  return path.extname(file).toLowerCase() in READERS;
}

export function checkPredictions(p: Predictions, options: ReadOptions, file: string): void {
  const C = options.classes.length;
  if (p.cols !== C) throw new ImportError(`${file}: logits have ${p.cols} columns but there are ${C} classes; one column per class, in class order.`);
  if (p.rows === 0) throw new ImportError(`${file}: logits have no rows.`);
  const { logits, labels } = p;
  for (let k = 0; k < logits.length; k++) {
    const v = logits[k]!;
    if (v - v !== 0) {
      const row = Math.floor(k / C);
      throw new ImportError(`${file}: logits row ${row}, class '${options.classes[k - row * C]}' is ${v}; every logit must be finite.`);
    }
  }
  if (labels === null) return;
  if (labels.length !== p.rows) throw new ImportError(`${file}: ${p.rows} rows of logits but ${labels.length} labels; they must match one to one.`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= C) throw new ImportError(`${file}: labels row ${i} is ${y}, outside the class indices 0..${C - 1}.`);
  }
}

/** Reads and checks one predictions file (.npz, .safetensors or .csv). */
export function readPredictions(file: string, options: ReadOptions): Predictions {
  const read = READERS[path.extname(file).toLowerCase()];
  if (!read) throw new ImportError(`${file}: unknown predictions format; expected ${PREDICTION_EXTENSIONS.join(', ')}.`);
  const p = read(file, options);
  checkPredictions(p, options, file);
  return p;
}
