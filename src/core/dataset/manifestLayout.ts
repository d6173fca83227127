// Datasets described by manifest files: resolves the files and their splits, counts labels per split,
// and replays the records with class indices for the trainer.
import path from 'node:path';
import { readClassNameMap } from './classNames';
import type { IgnoreMatcher } from './ignore';
import { LabelSpace } from './labels';
import { manifestSplit, readManifest, resolveManifest, type CsvColumns, type ManifestRecord } from './manifest';

export interface ManifestOptions {
  readonly manifest: string | readonly string[];
  /** Class-name map file (one name per line, or "name index" lines). */
  readonly classNames?: string;
  readonly columns?: CsvColumns;
}

export interface ManifestSource {
  readonly root: string;
  readonly files: readonly { readonly file: string; readonly split: string | null }[];
  readonly classMap: readonly string[] | null;
  readonly columns?: CsvColumns;
}

export interface ManifestCounts {
  readonly classNames: readonly string[];
  /** Per split (a single null key when the manifests name none), counts aligned with classNames. */
  readonly counts: ReadonlyMap<string | null, number[]>;
  /** The split of a record, as keyed in `counts`. */
  readonly splitOf: (record: ManifestRecord) => string | null;
  readonly indexOf: (record: ManifestRecord) => number;
  /** Lines left out by the ignore globs, and the first of them. */
  readonly skipped: number;
  readonly firstSkipped: ManifestRecord | null;
}

/** Name for records without a split when other records have one. */
export const UNSPLIT = 'unsplit';

export async function openManifests(root: string, options: ManifestOptions): Promise<ManifestSource> {
  const given = typeof options.manifest === 'string' ? [options.manifest] : [...options.manifest];
  const resolved = await Promise.all(given.map((m) => resolveManifest(m, root)));
  const files = resolved.map((file) => ({ file, split: manifestSplit(file, resolved.length) }));
  const classMap = options.classNames ? await readClassNameMap(path.resolve(options.classNames)) : null;
  return { root, files, classMap, columns: options.columns };
}

/** Root-relative, '/'-separated form of a manifest path, for ignore globs. */
function manifestRelative(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * Every record not left out by the ignore globs, across all manifest files in order. `onSkip` hears about
 * the ones left out.
 */
export async function* manifestRecords(
  source: ManifestSource,
  ignore: IgnoreMatcher | null,
  onSkip?: (record: ManifestRecord) => void,
): AsyncGenerator<ManifestRecord> {
  for (const { file, split } of source.files) {
    for await (const record of readManifest(file, split, source.columns)) {
      if (ignore?.(manifestRelative(record.path))) onSkip?.(record);
      else yield record;
    }
  }
}

export function manifestImagePath(source: ManifestSource, record: ManifestRecord): string {
  return path.resolve(source.root, record.path);
}

/** One pass over the manifests: labels checked and counted per split. */
export async function countManifests(
  source: ManifestSource,
  ignore: IgnoreMatcher | null,
  onRecord: () => void,
  signal?: AbortSignal,
): Promise<ManifestCounts> {
  const labels = new LabelSpace(source.classMap);
  const bySplit = new Map<string | null, Map<string, number>>();
  let skipped = 0;
  let firstSkipped: ManifestRecord | null = null;
  let seen = 0;
  // Splits named by file stay in the result even when every line of the file was left out.
  for (const f of source.files) if (f.split !== null) bySplit.set(f.split, new Map());
  // One record per distinct label string, to resolve it to a class index once all labels are known.
  const representative = new Map<string, ManifestRecord>();
  for await (const record of manifestRecords(source, ignore, (r) => {
    skipped++;
    firstSkipped ??= r;
  })) {
    labels.add(record);
    let split = bySplit.get(record.split);
    if (!split) bySplit.set(record.split, (split = new Map()));
    split.set(record.label, (split.get(record.label) ?? 0) + 1);
    if (!representative.has(record.label)) representative.set(record.label, record);
    onRecord();
    if ((++seen & 1023) === 0) signal?.throwIfAborted();
  }
  signal?.throwIfAborted();
  const classNames = labels.classNames();
  const indexOf = labels.indexer();
  // Records without a split next to records with one keep their own split, so nothing is silently merged.
  const mixed = bySplit.has(null) && bySplit.size > 1;
  const splitOf = (r: ManifestRecord) => r.split ?? (mixed ? UNSPLIT : null);
  const counts = new Map<string | null, number[]>();
  for (const [split, byLabel] of bySplit) {
    const arr = new Array<number>(classNames.length).fill(0);
    for (const [label, n] of byLabel) arr[indexOf(representative.get(label)!)]! += n;
    counts.set(split ?? (mixed ? UNSPLIT : null), arr);
  }
  return { classNames, counts, skipped, firstSkipped, splitOf, indexOf };
}
