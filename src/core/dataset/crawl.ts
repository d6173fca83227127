// Crawls one class folder with fdir: counts (or lists) its visible image files at any depth, follows
// symlinks, and records unreadable folders and symlink loops instead of failing on them.
import { fdir, type FSLike } from 'fdir';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { isHiddenName, isVisibleImagePath } from './imageFiles';
import { relativeTo, type IgnoreMatcher } from './ignore';

/** Problems met while crawling; paths are absolute. Sets, because a folder can be reached twice. */
export interface CrawlIssues {
  readonly unreadable: Set<string>;
  readonly symlinkLoops: Set<string>;
}

export function newCrawlIssues(): CrawlIssues {
  return { unreadable: new Set(), symlinkLoops: new Set() };
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
  return { ...base, readdir: readdir as FSLike['readdir'], realpath: realpath as FSLike['realpath'] };
}

function builder(ctx: CrawlContext) {
  const { ignore, root } = ctx;
  const fs = trackingFs(ctx.fs ?? (nodeFs as FSLike), ctx.issues);
  const api = new fdir({ fs })
    .withSymlinks({ resolvePaths: false })
    .exclude((name, dirPath) => isHiddenName(name) || (ignore !== null && ignore(relativeTo(root, dirPath))))
    .filter((filePath) => {
      if (!isVisibleImagePath(filePath)) return false;
      if (ignore !== null && ignore(relativeTo(root, filePath))) return false;
      ctx.onFile?.();
      return true;
    });
  return ctx.signal ? api.withAbortSignal(ctx.signal) : api;
}

/** Number of visible image files under `dir` (at any depth). */
export async function countImages(dir: string, ctx: CrawlContext): Promise<number> {
  const counts = await builder(ctx).onlyCounts().crawl(dir).withPromise();
  ctx.signal?.throwIfAborted();
  return counts.files;
}

/** Absolute paths of the visible image files under `dir`, sorted so the order is the same on every run. */
export async function listImages(dir: string, ctx: CrawlContext): Promise<string[]> {
  const files = await builder(ctx).crawl(dir).withPromise();
  ctx.signal?.throwIfAborted();
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
