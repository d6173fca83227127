// CSV predictions: a header, then one row per image. Labelled files start with a `label` column (a class
// index or a class name), then one logit column per class. Columns named after the run's classes may
// come in any order and are put in class order; otherwise they are taken in order. Streams through the
// dataset scanner's CSV reader, so only the float32 result (grown by doubling) is held.
import { closeSync, readSync } from 'node:fs';
import { CsvReader, type CsvRecord } from '../dataset/csv';
import { DatasetError } from '../dataset/errors';
import { ImportError, openForReading } from './errors';
import type { Predictions, ReadOptions } from './predictions';

const CHUNK = 1 << 20;
const INTEGER = /^\d+$/;

/** For each logit column, the class index it holds. */
function columnOrder(header: readonly string[], classes: readonly string[], file: string): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const named = header.filter((h) => index.has(h));
  if (named.length === 0) return header.map((_, i) => i);
  if (named.length !== header.length) {
    const stray = header.find((h) => !index.has(h))!;
    throw new ImportError(`${file}: header column '${stray}' is not one of the classes, though other columns are named after classes.`);
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new ImportError(`${file}: header names class '${h}' twice.`);
    seen.add(h);
  }
  return header.map((h) => index.get(h)!);
}

function* records(file: string): Generator<CsvRecord> {
  const fd = openForReading(file);
  try {
    const reader = new CsvReader(file);
    const decoder = new TextDecoder();
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      yield* reader.push(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    yield* reader.push(decoder.decode());
    yield* reader.end();
  } catch (e) {
    if (e instanceof DatasetError) throw new ImportError(e.message);
    throw e;
  } finally {
    closeSync(fd);
  }
}

export function readLogitsCsv(file: string, options: ReadOptions): Predictions {
  const classIndex = new Map(options.classes.map((c, i) => [c, i]));
  let order: number[] = [];
  let hasLabel = false;
  let cols = 0;
  let rows = 0;
  let logits = new Float32Array(1024);
  let labels = new Int32Array(64);
  let header: readonly string[] | null = null;
  for (const record of records(file)) {
    if (header === null) {
      header = record.fields.map((f) => f.trim());
      hasLabel = header[0]?.toLowerCase() === 'label';
      if (options.labels === 'required' && !hasLabel) throw new ImportError(`${file}:${record.line}: the first column must be 'label', got '${header[0] ?? ''}'.`);
      order = columnOrder(header.slice(hasLabel ? 1 : 0), options.classes, file);
      cols = order.length;
      continue;
    }
    const f = record.fields;
    if (f.length !== header.length) throw new ImportError(`${file}:${record.line}: expected ${header.length} fields as in the header, found ${f.length}.`);
    if (logits.length < (rows + 1) * cols) {
      const grown = new Float32Array(Math.max(2 * logits.length, (rows + 1) * cols));
      grown.set(logits);
      logits = grown;
    }
    const base = rows * cols;
    const first = hasLabel ? 1 : 0;
    for (let j = 0; j < cols; j++) {
      const text = f[first + j]!.trim();
      const v = text === '' ? NaN : Number(text);
      if (Number.isNaN(v) && text.toLowerCase() !== 'nan') throw new ImportError(`${file}:${record.line}: column '${header[first + j]}' is not a number: '${text.slice(0, 40)}'.`);
      logits[base + order[j]!] = v;
    }
    if (hasLabel && options.labels === 'required') {
      if (labels.length === rows) {
        const grown = new Int32Array(2 * labels.length);
        grown.set(labels);
        labels = grown;
      }
      const text = f[0]!.trim();
      const y = INTEGER.test(text) ? Number(text) : classIndex.get(text);
      if (y === undefined) throw new ImportError(`${file}:${record.line}: label '${text.slice(0, 40)}' is neither a class index nor one of the class names.`);
      labels[rows] = y;
    }
    rows++;
  }
  if (header === null) throw new ImportError(`${file} is empty; expected a header row.`);
  return {
    logits: logits.slice(0, rows * cols),
    rows,
    cols,
    labels: options.labels === 'required' ? labels.slice(0, rows) : null,
  };
}
