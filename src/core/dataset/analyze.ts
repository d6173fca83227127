// analyzeDataset: scan a dataset (folder-per-class tree or manifests), count images per class and split,
// optionally read every image (validate), and describe the label distribution of the training split.
import path from 'node:path';
import { countImages, listImages, newCrawlIssues, type CrawlContext, type CrawlIssues } from './crawl';
import { DatasetError } from './errors';
import { discoverFolders, type FolderDataset } from './folderLayout';
import { compileIgnore, relativeTo, type IgnoreMatcher } from './ignore';
import {
  countManifests,
  manifestImagePath,
  manifestRecords,
  openManifests,
  type ManifestCounts,
  type ManifestOptions,
  type ManifestSource,
} from './manifestLayout';
import { isCsvManifest, isJsonManifest, type CsvColumns } from './manifest';
import { ProgressCounter } from './progress';
import { primarySplitOf, sortSplits } from './splits';
import { distributionStats, resolveStatsOptions } from './stats';
import type { AnalyzeResult, Layout, ScanProgress, SplitStat, StatsOptions, ValidationSummary } from './types';
import type { ValidationTarget } from './validate';
import { nameList, WarningSink } from './warnings';

export interface AnalyzeOptions {
  /** Split list (.txt) or CSV manifest file(s); without one, the folder tree is the dataset. */
  readonly manifest?: string | readonly string[];
  /** Class-name map for manifests with integer labels (one name per line, or "name index" lines). */
  readonly classNames?: string;
  /** CSV column names, when the header uses names we do not guess. */
  readonly columns?: CsvColumns;
  /** Read every image: corrupt, truncated, mislabelled-extension and duplicate files. */
  readonly validate?: boolean;
  /** Globs (relative to root) of files and folders to leave out. */
  readonly ignore?: readonly string[];
  readonly stats?: Partial<StatsOptions>;
  readonly onProgress?: (progress: ScanProgress) => void;
  readonly signal?: AbortSignal;
}

interface Counted {
  readonly layout: Layout;
  readonly classNames: readonly string[];
  /** In canonical split order; a single entry with name null when there is no split level. */
  readonly splits: readonly { readonly name: string | null; readonly counts: number[] }[];
  /** Files to read for --validate, produced lazily so memory stays per class. */
  readonly targets: () => AsyncIterable<ValidationTarget>;
}

export async function analyzeDataset(root: string, options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const started = performance.now();
  const statsOptions = resolveStatsOptions(options.stats);
  const absRoot = path.resolve(root);
  const ignore = compileIgnore(options.ignore);
  const warnings = new WarningSink();
  const scanProgress = new ProgressCounter('scan', options.onProgress);
  options.signal?.throwIfAborted();

  const counted =
    options.manifest !== undefined && (typeof options.manifest === 'string' || options.manifest.length > 0)
      ? await countFromManifests(absRoot, { ...options, manifest: options.manifest }, ignore, scanProgress, warnings)
      : await countFromFolders(absRoot, options, ignore, scanProgress, warnings);
  scanProgress.report();

  const grandTotal = counted.splits.reduce((a, s) => a + s.counts.reduce((x, y) => x + y, 0), 0);
  if (grandTotal === 0) throw new DatasetError(`no images found in ${absRoot}${ignore ? ' (after the ignore globs)' : ''}`, absRoot);
  const splitNames = counted.splits.flatMap((s) => (s.name === null ? [] : [s.name]));
  const primarySplit = primarySplitOf(splitNames);
  const primary = counted.splits.find((s) => s.name === primarySplit)!;
  const stats = distributionStats(counted.classNames, primary.counts, statsOptions);
  if (stats.total === 0) throw new DatasetError(`the ${primarySplit} split of ${absRoot} has no images`, absRoot);

  const splits: SplitStat[] = counted.splits.flatMap((s) =>
    s.name === null ? [] : [{ name: s.name, total: s.counts.reduce((a, b) => a + b, 0), counts: s.counts }],
  );
  distributionWarnings(counted.classNames, primary.counts, primarySplit, splits, warnings);

  let validation: ValidationSummary | undefined;
  if (options.validate) {
    const checkProgress = new ProgressCounter('validate', options.onProgress, grandTotal);
    // Loaded only here: the image decoders (and zlib) are a noticeable share of a plain scan's start-up.
    const { validateImages } = await import('./validate');
    validation = await validateImages(counted.targets(), {
      root: absRoot,
      warnings,
      signal: options.signal,
      onChecked: (n) => checkProgress.set(n),
    });
    checkProgress.report();
  }

  return {
    root: absRoot,
    layout: counted.layout,
    primarySplit,
    ...stats,
    options: statsOptions,
    splits,
    warnings: warnings.list(),
    ...(validation ? { validation } : {}),
    durationMs: performance.now() - started,
  };
}

function crawlContext(root: string, ignore: IgnoreMatcher | null, issues: CrawlIssues, signal?: AbortSignal, onFile?: () => void): CrawlContext {
  return { root, ignore, issues, signal, onFile };
}

async function countFromFolders(
  root: string,
  options: AnalyzeOptions,
  ignore: IgnoreMatcher | null,
  progress: ProgressCounter,
  warnings: WarningSink,
): Promise<Counted> {
  const issues = newCrawlIssues();
  const ds = await discoverFolders(root, ignore, issues);
  const index = new Map(ds.classNames.map((n, i) => [n, i]));
  const splits = ds.splits.map((s) => ({ name: s.split, counts: new Array<number>(ds.classNames.length).fill(0) }));
  const jobs = ds.splits.flatMap((s, si) => s.classes.map((c) => ({ si, ci: index.get(c.name)!, dir: c.dir })));
  const ctx = crawlContext(root, ignore, issues, options.signal, progress.tick);
  // One class after another: the crawl is synchronous, so running several at once would gain nothing.
  for (const job of jobs) splits[job.si]!.counts[job.ci]! += await countImages(job.dir, ctx);
  crawlWarnings(root, ds, issues, warnings);
  return {
    layout: 'folder-per-class',
    classNames: ds.classNames,
    splits,
    targets: () => folderTargets(ds, crawlContext(root, ignore, newCrawlIssues(), options.signal)),
  };
}

async function* folderTargets(ds: FolderDataset, ctx: CrawlContext): AsyncGenerator<ValidationTarget> {
  for (const split of ds.splits) {
    for (const c of split.classes) {
      for (const file of await listImages(c.dir, ctx)) yield { path: file, className: c.name };
    }
  }
}

export function crawlWarnings(root: string, ds: FolderDataset, issues: CrawlIssues, warnings: WarningSink): void {
  const rel = (p: string) => relativeTo(root, p) || '.';
  for (const p of [...issues.unreadable].sort()) {
    warnings.add({ kind: 'unreadable', message: `cannot read ${rel(p)}; it was skipped`, path: p });
  }
  for (const p of [...issues.symlinkLoops].sort()) {
    warnings.add({ kind: 'symlink-loop', message: `symlink ${rel(p)} points back to a folder above it; not followed`, path: p });
  }
  const other = [...issues.otherFormats].sort(([a], [b]) => (a < b ? -1 : 1));
  if (other.length > 0) {
    const n = other.reduce((a, [, c]) => a + c, 0);
    warnings.add({
      kind: 'unsupported-format',
      message: `${n} image${n === 1 ? '' : 's'} skipped (${other.map(([e, c]) => `${c} .${e}`).join(', ')}): LADE trains on PNG and JPEG only; convert them to include them`,
    });
  }
  for (const { dir, count } of ds.looseImages) {
    warnings.add({
      kind: 'unlabelled-files',
      message: `${count} image${count === 1 ? '' : 's'} directly in ${rel(dir)} belong to no class folder and were not counted`,
      path: dir,
    });
  }
}

async function countFromManifests(
  root: string,
  options: AnalyzeOptions & ManifestOptions,
  ignore: IgnoreMatcher | null,
  progress: ProgressCounter,
  warnings: WarningSink,
): Promise<Counted> {
  const source = await openManifests(root, options);
  const counted = await countManifests(source, ignore, progress.tick, options.signal);
  if (counted.firstSkipped) {
    const first = counted.firstSkipped;
    warnings.add({
      kind: 'skipped-line',
      message: `${counted.skipped} manifest line${counted.skipped === 1 ? '' : 's'} left out by the ignore globs (first: ${first.file}:${first.line})`,
      path: first.file,
    });
  }
  const layout: Layout = source.files.some((f) => isJsonManifest(f.file))
    ? 'coco-json'
    : source.files.some((f) => isCsvManifest(f.file))
      ? 'csv-manifest'
      : 'split-list';
  const keys = [...counted.counts.keys()];
  const splitOrder: (string | null)[] = keys.length === 1 && keys[0] === null ? [null] : sortSplits(keys as string[]);
  return {
    layout,
    classNames: counted.classNames,
    splits: splitOrder.map((name) => ({ name, counts: counted.counts.get(name)! })),
    targets: () => manifestTargets(source, ignore, counted),
  };
}

async function* manifestTargets(source: ManifestSource, ignore: IgnoreMatcher | null, counted: ManifestCounts): AsyncGenerator<ValidationTarget> {
  for await (const record of manifestRecords(source, ignore)) {
    yield { path: manifestImagePath(source, record), className: counted.classNames[counted.indexOf(record)]! };
  }
}

export function distributionWarnings(
  classNames: readonly string[],
  counts: readonly number[],
  primarySplit: string | null,
  splits: readonly SplitStat[],
  warnings: WarningSink,
): void {
  const where = primarySplit === null ? '' : ` in ${primarySplit}`;
  const empty = classNames.filter((_, i) => counts[i] === 0);
  if (empty.length > 0) {
    warnings.add({
      kind: 'empty-class',
      message: `${empty.length} class${empty.length === 1 ? ' has' : 'es have'} no images${where}: ${nameList(empty)}`,
      classes: empty,
    });
  }
  const single = classNames.filter((_, i) => counts[i] === 1);
  if (single.length > 0) {
    warnings.add({
      kind: 'single-image-class',
      message: `${single.length} class${single.length === 1 ? ' has' : 'es have'} a single image${where}: ${nameList(single)}`,
      classes: single,
    });
  }
  for (const split of splits) {
    if (split.name === primarySplit) continue;
    const missing = classNames.filter((_, i) => split.counts[i] === 0 && splits.some((o) => o.counts[i]! > 0));
    if (missing.length > 0) {
      warnings.add({
        kind: 'missing-in-split',
        message: `${split.name} has no images of ${missing.length} class${missing.length === 1 ? '' : 'es'} found in other splits: ${nameList(missing)}`,
        classes: missing,
      });
    }
  }
}
