// The run's classes (--classes: one name per line, or a JSON array of names) and its training counts
// (--train-counts: JSON {name: count}, CSV class,count, or a dataset folder whose train split is counted).
import { readFileSync, statSync } from 'node:fs';
import { analyzeDataset, DatasetError } from '../dataset';
import { parseClassNameMap } from '../dataset/classNames';
import { PriorError } from '../priors';
import { parseImport } from '../priors/files';
import { ImportError } from './errors';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new ImportError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Class names in logit-column order. */
export function readClassList(file: string): string[] {
  const text = readText(file);
  if (!text.trimStart().startsWith('[')) {
    try {
      return parseClassNameMap(text, file);
    } catch (e) {
      if (e instanceof DatasetError) throw new ImportError(e.message);
      throw e;
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`${file}: not valid JSON (${(e as Error).message}).`);
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new ImportError(`${file}: expected a non-empty JSON array of class names.`);
  const seen = new Set<string>();
  raw.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '') throw new ImportError(`${file}: entry ${i} must be a non-empty class name, got ${JSON.stringify(name)}.`);
    if (seen.has(name)) throw new ImportError(`${file}: class '${name}' is listed twice.`);
    seen.add(name);
  });
  return raw as string[];
}

/** Puts named counts in class order; a class missing from them, or a name that is no class, is an error. */
function alignCounts(counts: ReadonlyMap<string, number>, classes: readonly string[], source: string): number[] {
  const known = new Set(classes);
  const stray = [...counts.keys()].filter((n) => !known.has(n));
  if (stray.length > 0) throw new ImportError(`${source}: class '${stray[0]}'${stray.length > 1 ? ` (and ${stray.length - 1} more)` : ''} is not in the class list.`);
  const missing = classes.filter((c) => !counts.has(c));
  if (missing.length > 0) throw new ImportError(`${source}: no count for class '${missing[0]}'${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}.`);
  const out = classes.map((c) => counts.get(c)!);
  const bad = out.findIndex((n) => !Number.isInteger(n));
  if (bad >= 0) throw new ImportError(`${source}: the count of class '${classes[bad]}' must be a whole number, got ${out[bad]}.`);
  if (!out.some((n) => n > 0)) throw new ImportError(`${source}: every class has 0 training images.`);
  return out;
}

/** Training images per class, in class order, from a counts file or a dataset folder. */
export async function readTrainCounts(source: string, classes: readonly string[]): Promise<number[]> {
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch {
    throw new ImportError(`${source}: no such file or folder.`);
  }
  if (!isDir) {
    try {
      return alignCounts(parseImport(readText(source), source), classes, source);
    } catch (e) {
      if (e instanceof PriorError) throw new ImportError(e.message.replace(/\.$/, ''));
      throw e;
    }
  }
  try {
    const scan = await analyzeDataset(source);
    const where = `${source} (${scan.primarySplit ?? 'all'} images)`;
    return alignCounts(new Map(scan.classes.map((c) => [c.name, c.count])), classes, where);
  } catch (e) {
    if (e instanceof DatasetError) throw new ImportError(`${source}: ${e.message}`);
    throw e;
  }
}
