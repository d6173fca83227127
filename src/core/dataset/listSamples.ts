// listSamples: every labelled image of a dataset, one at a time, for the trainer. Class indices match
// AnalyzeResult.classes for the same root and options; memory stays per class folder (or per record).
import path from 'node:path';
import { crawlWarnings, distributionWarnings } from './analyze';
import { listImages, newCrawlIssues } from './crawl';
import { DatasetError } from './errors';
import { discoverFolders } from './folderLayout';
import { compileIgnore } from './ignore';
import type { CsvColumns } from './manifest';
import { countManifests, manifestImagePath, manifestRecords, openManifests } from './manifestLayout';
import { canonicalSplit } from './splits';
import type { Sample, ScanWarning } from './types';
import { WarningSink } from './warnings';

export interface ListSamplesOptions {
  /** Only this split (train, val, test ...); all splits when left out. */
  readonly split?: string;
  readonly manifest?: string | readonly string[];
  readonly classNames?: string;
  readonly columns?: CsvColumns;
  readonly ignore?: readonly string[];
  readonly signal?: AbortSignal;
}

function unknownSplit(root: string, split: string, known: readonly (string | null)[]): DatasetError {
  const names = known.filter((s): s is string => s !== null);
  return new DatasetError(
    names.length === 0
      ? `${root} has no splits, so there is no '${split}' split`
      : `${root} has no '${split}' split (it has ${names.join(', ')})`,
    root,
  );
}

/**
 * Folder layouts yield split by split (canonical order), class by class (class index order), files in
 * path order; manifests yield in file and line order.
 */
export async function* listSamples(root: string, options: ListSamplesOptions = {}): AsyncGenerator<Sample> {
  const absRoot = path.resolve(root);
  const ignore = compileIgnore(options.ignore);
  const { signal } = options;
  const hasManifest = options.manifest !== undefined && (typeof options.manifest === 'string' || options.manifest.length > 0);
  if (hasManifest) {
    const source = await openManifests(absRoot, { manifest: options.manifest!, classNames: options.classNames, columns: options.columns });
    // First pass: the class list (needed before any index can be given).
    const counted = await countManifests(source, ignore, () => {}, signal);
    if (options.split !== undefined && !counted.counts.has(options.split)) throw unknownSplit(absRoot, options.split, [...counted.counts.keys()]);
    for await (const record of manifestRecords(source, ignore)) {
      const split = counted.splitOf(record);
      if (options.split !== undefined && split !== options.split) continue;
      const classIndex = counted.indexOf(record);
      yield { path: manifestImagePath(source, record), classIndex, className: counted.classNames[classIndex]!, split };
    }
    return;
  }
  const issues = newCrawlIssues();
  const ds = await discoverFolders(absRoot, ignore, issues);
  if (options.split !== undefined && !ds.splits.some((s) => s.split === options.split)) {
    throw unknownSplit(absRoot, options.split, ds.splits.map((s) => s.split));
  }
  const index = new Map(ds.classNames.map((n, i) => [n, i]));
  const ctx = { root: absRoot, ignore, issues, signal };
  for (const s of ds.splits) {
    if (options.split !== undefined && s.split !== options.split) continue;
    for (const c of s.classes) {
      const classIndex = index.get(c.name)!;
      for (const file of await listImages(c.dir, ctx)) yield { path: file, classIndex, className: c.name, split: s.split };
    }
  }
}

/** A folder dataset as the trainer sees it: the same crawl, formats and symlink policy as analyze. */
export interface DatasetView {
  readonly classes: readonly string[];
  /** Samples by canonical split (train, val, test); a dataset without splits is all train. */
  readonly splits: ReadonlyMap<string, readonly Sample[]>;
  /** What analyze would warn about: skipped files and folders (with the reason), empty classes. */
  readonly warnings: readonly ScanWarning[];
}

export async function datasetView(root: string, options: Pick<ListSamplesOptions, 'ignore' | 'signal'> = {}): Promise<DatasetView> {
  const absRoot = path.resolve(root);
  const ignore = compileIgnore(options.ignore);
  const issues = newCrawlIssues();
  const ds = await discoverFolders(absRoot, ignore, issues);
  const index = new Map(ds.classNames.map((n, i) => [n, i]));
  const ctx = { root: absRoot, ignore, issues, signal: options.signal };
  const splits = new Map<string, Sample[]>();
  for (const s of ds.splits) {
    const name = canonicalSplit(s.split ?? 'train');
    const out = splits.get(name) ?? [];
    splits.set(name, out);
    for (const c of s.classes) {
      const classIndex = index.get(c.name)!;
      for (const file of await listImages(c.dir, ctx)) out.push({ path: file, classIndex, className: c.name, split: s.split });
    }
  }
  const warnings = new WarningSink();
  crawlWarnings(absRoot, ds, issues, warnings);
  const counts = (samples: readonly Sample[]): number[] => {
    const n = new Array<number>(ds.classNames.length).fill(0);
    for (const x of samples) n[x.classIndex]!++;
    return n;
  };
  const splitStats = [...splits].map(([name, samples]) => ({ name, total: samples.length, counts: counts(samples) }));
  distributionWarnings(ds.classNames, counts(splits.get('train') ?? []), ds.splits[0]?.split === null ? null : 'train', splitStats, warnings);
  return { classes: ds.classNames, splits, warnings: warnings.list() };
}
