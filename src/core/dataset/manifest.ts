// Manifests: split list files (ImageNet-LT / Places-LT: "relative/path label" per line), CSV files with
// a header naming the path and label columns (both stream), and COCO-style JSON (iNaturalist,
// manifestCoco.ts). Labels are integers (class indices) or names.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CsvReader } from './csv';
import { DatasetError, lineError } from './errors';
import { readCocoManifest } from './manifestCoco';
import type { ManifestRecord } from './manifestRecord';
import { splitFromFileName } from './splits';

export type { ManifestRecord };

/** Which CSV columns hold the path, the label and (optionally) the split; matched case-insensitively. */
export interface CsvColumns {
  readonly path?: string;
  readonly label?: string;
  readonly split?: string;
}

const PATH_COLUMNS = ['path', 'filepath', 'file_path', 'file', 'filename', 'file_name', 'image', 'image_path', 'img', 'img_path'];
const LABEL_COLUMNS = ['label', 'class', 'class_name', 'classname', 'category', 'target', 'label_name', 'y'];
const SPLIT_COLUMNS = ['split', 'subset', 'set', 'partition', 'fold'];

export function isCsvManifest(file: string): boolean {
  return path.extname(file).toLowerCase() === '.csv';
}

export function isJsonManifest(file: string): boolean {
  return path.extname(file).toLowerCase() === '.json';
}

/** Finds the manifest as given (relative to the working folder) or, failing that, inside the dataset root. */
export async function resolveManifest(file: string, root: string): Promise<string> {
  for (const candidate of [path.resolve(file), path.resolve(root, file)]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // try the next candidate
    }
  }
  throw new DatasetError(`no such manifest file: ${file}`, file);
}

/** The split a whole manifest file stands for: its split word, or its name when several files are given. */
export function manifestSplit(file: string, manifestCount: number): string | null {
  return splitFromFileName(path.basename(file)) ?? (manifestCount > 1 ? path.basename(file, path.extname(file)) : null);
}

export function readManifest(file: string, split: string | null, columns?: CsvColumns): AsyncGenerator<ManifestRecord> {
  if (isJsonManifest(file)) return readCocoManifest(file, split);
  return isCsvManifest(file) ? readCsvManifest(file, split, columns ?? {}) : readSplitList(file, split);
}

function openText(file: string) {
  return createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
}

async function* readSplitList(file: string, split: string | null): AsyncGenerator<ManifestRecord> {
  const lines = createInterface({ input: openText(file), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text.length === 0 || text.startsWith('#')) continue;
    // The label is the last token, so paths may contain spaces.
    const m = /^(.*\S)\s+(\S+)$/.exec(text);
    if (!m) throw lineError(file, line, `expected 'relative/path label', got '${clip(text)}'`);
    yield { path: m[1]!, label: m[2]!, split, file, line };
  }
}

function findColumn(header: readonly string[], wanted: string | undefined, candidates: readonly string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  if (wanted !== undefined) return lower.indexOf(wanted.toLowerCase());
  for (const c of candidates) {
    const i = lower.indexOf(c);
    if (i >= 0) return i;
  }
  return -1;
}

async function* readCsvManifest(file: string, split: string | null, columns: CsvColumns): AsyncGenerator<ManifestRecord> {
  const reader = new CsvReader(file);
  let header: readonly string[] | null = null;
  let pathCol = -1;
  let labelCol = -1;
  let splitCol = -1;
  const rows = async function* () {
    for await (const chunk of openText(file)) yield* reader.push(chunk as string);
    yield* reader.end();
  };
  for await (const record of rows()) {
    if (header === null) {
      header = record.fields;
      pathCol = findColumn(header, columns.path, PATH_COLUMNS);
      labelCol = findColumn(header, columns.label, LABEL_COLUMNS);
      splitCol = findColumn(header, columns.split, SPLIT_COLUMNS);
      if (pathCol < 0) throw lineError(file, record.line, `header has no path column ${expected(columns.path, PATH_COLUMNS)}`);
      if (labelCol < 0) throw lineError(file, record.line, `header has no label column ${expected(columns.label, LABEL_COLUMNS)}`);
      if (columns.split !== undefined && splitCol < 0) throw lineError(file, record.line, `header has no column '${columns.split}'`);
      continue;
    }
    if (record.fields.length !== header.length) {
      throw lineError(file, record.line, `expected ${header.length} fields as in the header, found ${record.fields.length}`);
    }
    const imagePath = record.fields[pathCol]!.trim();
    const label = record.fields[labelCol]!.trim();
    if (imagePath === '') throw lineError(file, record.line, `empty ${header[pathCol]} field`);
    if (label === '') throw lineError(file, record.line, `empty ${header[labelCol]} field`);
    const rowSplit = splitCol >= 0 ? record.fields[splitCol]!.trim() : '';
    yield { path: imagePath, label, split: rowSplit !== '' ? rowSplit : split, file, line: record.line };
  }
  if (header === null) throw new DatasetError(`${file}: empty CSV manifest (a header naming the path and label columns is required)`, file);
}

function expected(wanted: string | undefined, candidates: readonly string[]): string {
  return wanted !== undefined ? `named '${wanted}'` : `(expected one of ${candidates.join(', ')})`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
