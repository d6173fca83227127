// Folder-per-class layout: root/<class>/**/image or root/<split>/<class>/**/image. Discovery reads only the
// top one or two levels; counting crawls each class folder separately, so memory stays per class.
import { constants, promises as fsp, readdirSync, statSync, type Dirent } from 'node:fs';
import { DatasetError } from './errors';
import { isHiddenName, imageExtension } from './imageFiles';
import type { IgnoreMatcher } from './ignore';
import { relativeTo } from './ignore';
import { childPath, type CrawlIssues } from './crawl';
import { isSplitName, sortSplits } from './splits';

export interface ClassFolder {
  readonly name: string;
  readonly dir: string;
}

export interface SplitFolder {
  /** Split name, or null when the dataset has no split level. */
  readonly split: string | null;
  readonly dir: string;
  readonly classes: readonly ClassFolder[];
}

export interface FolderDataset {
  readonly root: string;
  readonly splits: readonly SplitFolder[];
  /** Sorted union of class folder names over all splits: the class index order. */
  readonly classNames: readonly string[];
  /** Folders holding image files directly, outside any class folder (such files have no label). */
  readonly looseImages: readonly { readonly dir: string; readonly count: number }[];
}

interface Listing {
  readonly dirs: { readonly name: string; readonly dir: string }[];
  readonly looseImages: number;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Resolves a symlinked entry: a folder, a file, or unreadable (dangling). */
function followLink(full: string, issues: CrawlIssues): 'dir' | 'file' | null {
  try {
    return statSync(full).isDirectory() ? 'dir' : 'file';
  } catch {
    issues.unreadable.add(full);
    return null;
  }
}

/**
 * Visible sub-folders and loose image files of one folder; an unreadable folder is reported and empty.
 * Synchronous like the crawl: one folder of thousands of classes is listed faster than promises settle.
 */
function listFolder(dir: string, root: string, ignore: IgnoreMatcher | null, issues: CrawlIssues): Listing {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    issues.unreadable.add(dir);
    return { dirs: [], looseImages: 0 };
  }
  const dirs: { name: string; dir: string }[] = [];
  let looseImages = 0;
  for (const entry of entries) {
    if (isHiddenName(entry.name)) continue;
    const full = childPath(dir, entry.name);
    if (ignore?.(relativeTo(root, full))) continue;
    const kind = entry.isSymbolicLink() ? followLink(full, issues) : entry.isDirectory() ? 'dir' : 'file';
    if (kind === 'dir') dirs.push({ name: entry.name, dir: full });
    else if (kind === 'file' && imageExtension(entry.name) !== null) looseImages++;
  }
  dirs.sort((a, b) => byName(a.name, b.name));
  return { dirs, looseImages };
}

/** The root folder itself must exist and be a readable folder: anything else is the user's input error. */
async function checkRoot(root: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await fsp.stat(root)).isDirectory();
  } catch {
    throw new DatasetError(`no such folder: ${root}`, root);
  }
  if (!isDir) throw new DatasetError(`not a folder: ${root}`, root);
  try {
    await fsp.access(root, constants.R_OK | constants.X_OK);
  } catch {
    throw new DatasetError(`cannot read folder: ${root}`, root);
  }
}

/**
 * Finds the split level (when every visible top-level folder is named like a split: train, val, test ...)
 * and the class folders under each split.
 */
export async function discoverFolders(root: string, ignore: IgnoreMatcher | null, issues: CrawlIssues): Promise<FolderDataset> {
  await checkRoot(root);
  const top = listFolder(root, root, ignore, issues);
  const hasSplits = top.dirs.length > 0 && top.dirs.every((d) => isSplitName(d.name));
  const splits: SplitFolder[] = [];
  const looseImages = top.looseImages > 0 ? [{ dir: root, count: top.looseImages }] : [];
  if (hasSplits) {
    const byDir = new Map(top.dirs.map((d) => [d.name, d.dir]));
    for (const name of sortSplits(top.dirs.map((d) => d.name))) {
      const dir = byDir.get(name)!;
      const listing = listFolder(dir, root, ignore, issues);
      splits.push({ split: name, dir, classes: listing.dirs });
      if (listing.looseImages > 0) looseImages.push({ dir, count: listing.looseImages });
    }
  } else {
    splits.push({ split: null, dir: root, classes: top.dirs });
  }
  const names = new Set<string>();
  for (const s of splits) for (const c of s.classes) names.add(c.name);
  return { root, splits, classNames: [...names].sort(byName), looseImages };
}
