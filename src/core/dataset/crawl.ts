// Crawls one class folder with fdir: counts (or lists) its visible PNG/JPEG files at any depth, follows
// symlinks, and records unreadable folders, symlink loops and images in formats the trainer does not
// decode instead of failing on them. Analyze, train and estimate-prior all crawl through here.
import { fdir, type FSLike } from 'fdir';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { hasImageExtension, hasTrainableExtension, imageExtension, isHiddenName, isVisibleImagePath } from './imageFiles';
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

/** Counts an image the trainer cannot decode; false for every file so the caller can return it. */
function skipOtherFormat(issues: CrawlIssues, name: string): false {
  const ext = imageExtension(name)!;
  issues.otherFormats.set(ext, (issues.otherFormats.get(ext) ?? 0) + 1);
  return false;
}

export interface CrawlContext {
  /** Dataset root (absolute), for matching ignore globs on root-relative paths. */
  readonly root: string;
  readonly ignore: IgnoreMatcher | null;
  readonly issues: CrawlIssues;
  readonly signal?: AbortSignal;
  /** Called once per image file found (progress counting). */
  readonly onFile?: () => void;
  /** File-system implementation; tests inject failures through it. */
  readonly fs?: FSLike;
}

type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries: nodeFs.Dirent[]) => void;
type RealpathCallback = (error: NodeJS.ErrnoException | null, resolved: string) => void;

function loopError(link: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`symlink loop at ${link}`), { code: 'ELOOP' });
}

/**
 * An fs for fdir that notes failures. fdir suppresses errors silently; we want to name the folder.
 * A symlink whose target is the link's own folder or one of its ancestors is a loop: it is reported and
 * answered with ELOOP so fdir does not follow it.
 */
function trackingFs(base: FSLike, issues: CrawlIssues): FSLike {
  const readdir = (dir: string, options: { withFileTypes: true }, callback: ReaddirCallback): void => {
    base.readdir(dir, options, (error: NodeJS.ErrnoException | null, entries: nodeFs.Dirent[]) => {
      if (error) issues.unreadable.add(path.resolve(dir));
      callback(error, entries ?? []);
    });
  };
  const realpath = (link: string, callback: RealpathCallback): void => {
    base.realpath(link, (error: NodeJS.ErrnoException | null, resolved: string) => {
      if (error) {
        // A dangling link (or one we may not resolve) is as unreadable as a folder we may not list.
        issues.unreadable.add(path.resolve(link));
        callback(error, '');
        return;
      }
      base.realpath(path.dirname(link), (parentError: NodeJS.ErrnoException | null, parent: string) => {
        if (!parentError && (parent === resolved || parent.startsWith(resolved + path.sep))) {
          issues.symlinkLoops.add(path.resolve(link));
          callback(loopError(link), '');
          return;
        }
        callback(null, resolved);
      });
    });
  };
  // Only the members fdir calls: spreading node:fs (hundreds of properties) per class folder was most of
  // the scan time on trees of many small classes.
  return {
    readdir: readdir as FSLike['readdir'],
    readdirSync: base.readdirSync,
    realpath: realpath as FSLike['realpath'],
    realpathSync: base.realpathSync,
    stat: base.stat,
    statSync: base.statSync,
  };
}

/** One tracking fs per crawl (the issues it records), shared by every class folder's crawl. */
const trackingFsOf = new WeakMap<CrawlIssues, Map<FSLike, FSLike>>();

function trackingFsFor(base: FSLike, issues: CrawlIssues): FSLike {
  let byBase = trackingFsOf.get(issues);
  if (!byBase) trackingFsOf.set(issues, (byBase = new Map()));
  let fs = byBase.get(base);
  if (!fs) byBase.set(base, (fs = trackingFs(base, issues)));
  return fs;
}

/**
 * fdir set up for one class folder. Counting without ignore globs hands the filter bare file names (no
 * path joined per file), which is most of the speed on a million files; listing and globs need full paths.
 */
function builder(ctx: CrawlContext, fullPaths: boolean) {
  const { ignore, root, onFile } = ctx;
  const fs = trackingFsFor(ctx.fs ?? (nodeFs as FSLike), ctx.issues);
  // resolveSymlinks without withSymlinks(): that helper would also force full paths.
  const api = new fdir({ fs, resolveSymlinks: true, useRealPaths: false, includeBasePath: fullPaths }).exclude(
    (name, dirPath) => isHiddenName(name) || (ignore !== null && ignore(relativeTo(root, dirPath))),
  );
  const { issues } = ctx;
  const filtered = fullPaths
    ? api.filter((filePath) => {
        if (!isVisibleImagePath(filePath)) return false;
        if (ignore !== null && ignore(relativeTo(root, filePath))) return false;
        if (!hasTrainableExtension(filePath)) return skipOtherFormat(issues, filePath);
        onFile?.();
        return true;
      })
    : api.filter((name) => {
        if (isHiddenName(name) || !hasImageExtension(name)) return false;
        if (!hasTrainableExtension(name)) return skipOtherFormat(issues, name);
        onFile?.();
        return true;
      });
  return ctx.signal ? filtered.withAbortSignal(ctx.signal) : filtered;
}

/** Number of visible PNG/JPEG files under `dir` (at any depth). */
export async function countImages(dir: string, ctx: CrawlContext): Promise<number> {
  const counts = await builder(ctx, ctx.ignore !== null).onlyCounts().crawl(dir).withPromise();
  ctx.signal?.throwIfAborted();
  return counts.files;
}

/** Absolute paths of the visible PNG/JPEG files under `dir`, sorted so the order is the same on every run. */
export async function listImages(dir: string, ctx: CrawlContext): Promise<string[]> {
  const files = await builder(ctx, true).crawl(dir).withPromise();
  ctx.signal?.throwIfAborted();
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
