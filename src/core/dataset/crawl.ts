// Crawls one class folder: counts (or lists) its visible PNG/JPEG files at any depth, follows symlinks,
// and records unreadable folders, symlink loops and images in formats the trainer does not decode instead
// of failing on them. Analyze, train and estimate-prior all crawl through here.
//
// A plain synchronous loop over readdirSync: on trees of many small classes the cost is per folder, and
// callbacks, promises and per-crawl setup (what a crawler library brings) cost more than the listing.
// Counting without ignore globs touches only file names: no path is joined per file.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { hasImageExtension, hasTrainableExtension, imageExtension, isHiddenName } from './imageFiles';
import { relativeTo, type IgnoreMatcher } from './ignore';

/** Problems met while crawling; paths are absolute. Sets, because a folder can be reached twice. */
export interface CrawlIssues {
  readonly unreadable: Set<string>;
  readonly symlinkLoops: Set<string>;
  /** Image files in formats the trainer does not decode (webp, gif ...), counted by extension. */
  readonly otherFormats: Map<string, number>;
}

export function newCrawlIssues(): CrawlIssues {
  return { unreadable: new Set(), symlinkLoops: new Set(), otherFormats: new Map() };
}

/** The file-system calls the crawl makes; tests inject failures through them. */
export interface CrawlFs {
  readdirSync(dir: string, options: { withFileTypes: true }): nodeFs.Dirent[];
  statSync(p: string): nodeFs.Stats;
  realpathSync: { native(p: string): string };
}

export interface CrawlContext {
  /** Dataset root (absolute), for matching ignore globs on root-relative paths. */
  readonly root: string;
  readonly ignore: IgnoreMatcher | null;
  readonly issues: CrawlIssues;
  readonly signal?: AbortSignal;
  /** Called once per image file found (progress counting). */
  readonly onFile?: () => void;
  readonly fs?: CrawlFs;
}

/** `dir`'s entry `name`: a plain concatenation, as a listed name has no separators (path.join per entry is slower). */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** Called per PNG/JPEG file kept: its folder and its name. */
type Visit = (dir: string, name: string) => void;

/**
 * A symlink to a folder is a loop when its target is the folder holding the link, one of its ancestors,
 * or (through other links) a folder this crawl already went down into: `targets` holds those.
 */
function isLoop(fs: CrawlFs, dir: string, resolved: string, targets: readonly string[]): boolean {
  const contains = (outer: string, inner: string) => inner === outer || inner.startsWith(outer + path.sep);
  return contains(resolved, fs.realpathSync.native(dir)) || targets.some((t) => contains(resolved, t));
}

function walk(ctx: CrawlContext, fs: CrawlFs, dir: string, visit: Visit, targets: string[]): void {
  const { issues, ignore, root } = ctx;
  if (ctx.signal?.aborted) return;
  let entries: nodeFs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    issues.unreadable.add(dir);
    return;
  }
  for (const entry of entries) {
    const name = entry.name;
    if (isHiddenName(name)) continue;
    let isDir = entry.isDirectory();
    // Sockets, fifos and devices are neither images nor folders.
    if (!isDir && !entry.isFile() && !entry.isSymbolicLink()) continue;
    // Plain files that are not images need no path: most skipped entries stop here.
    if (!isDir && !entry.isSymbolicLink() && !hasImageExtension(name)) continue;
    const full = ignore !== null || isDir || entry.isSymbolicLink() ? childPath(dir, name) : '';
    if (ignore !== null && ignore(relativeTo(root, full))) continue;
    let resolved: string | null = null;
    if (entry.isSymbolicLink()) {
      try {
        isDir = fs.statSync(full).isDirectory();
        if (isDir) resolved = fs.realpathSync.native(full);
      } catch {
        // A dangling link (or one we may not resolve) is as unreadable as a folder we may not list.
        issues.unreadable.add(full);
        continue;
      }
      if (!isDir && !hasImageExtension(name)) continue;
    }
    if (isDir) {
      if (resolved === null) walk(ctx, fs, full, visit, targets);
      else if (isLoop(fs, dir, resolved, targets)) issues.symlinkLoops.add(full);
      else walk(ctx, fs, full, visit, [...targets, resolved]);
    } else if (!hasTrainableExtension(name)) {
      const ext = imageExtension(name)!;
      issues.otherFormats.set(ext, (issues.otherFormats.get(ext) ?? 0) + 1);
    } else {
      ctx.onFile?.();
      visit(dir, name);
    }
  }
}

/** Crawls a class folder, giving the event loop a turn now and then (cancellation, progress, messages). */
async function crawl(dir: string, ctx: CrawlContext, visit: Visit): Promise<void> {
  if (performance.now() - lastYield > YIELD_EVERY_MS) {
    await new Promise(setImmediate);
    lastYield = performance.now();
  }
  ctx.signal?.throwIfAborted();
  walk(ctx, ctx.fs ?? nodeFs, path.resolve(dir), visit, []);
  ctx.signal?.throwIfAborted();
}

const YIELD_EVERY_MS = 20;
let lastYield = 0;

/** Number of visible PNG/JPEG files under `dir` (at any depth). */
export async function countImages(dir: string, ctx: CrawlContext): Promise<number> {
  let n = 0;
  await crawl(dir, ctx, () => n++);
  return n;
}

/** Absolute paths of the visible PNG/JPEG files under `dir`, sorted so the order is the same on every run. */
export async function listImages(dir: string, ctx: CrawlContext): Promise<string[]> {
  const files: string[] = [];
  await crawl(dir, ctx, (folder, name) => files.push(childPath(folder, name)));
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
