// Decoded pixels of one split, cached on disk under the run folder as one uint8 file (N x size x size x C).
// The file name carries a hash of every image's path, byte size and mtime plus the input size and channels,
// so a changed dataset or setting decodes afresh while an unchanged one (a resumed run) skips decoding.
// Large caches are read sample by sample, so memory stays bounded for 100k+ images. Images that cannot be
// decoded are left out and listed in <cache>.json beside it (with the image count, so a cache cut short on
// an image boundary is decoded afresh rather than reused); past MAX_UNDECODABLE the build stops.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../userError';
import { writeFileAtomic } from '../atomicWrite';
import { decodeImage, ImageDecodeError, resizeInto } from './images';
import type { Sample } from './samples';

/** Share of a split's images that may be undecodable before training stops. */
export const MAX_UNDECODABLE = 0.01;

/** Caches up to this size are read into memory whole; larger ones are read per sample. */
const IN_MEMORY_LIMIT = 256 * 1024 * 1024;

/** Thrown when the run's AbortSignal fires mid-decode; the partial cache file is discarded. */
export class DecodeCancelled extends Error {
  override readonly name = 'DecodeCancelled';
}

export interface PixelSource {
  readonly count: number;
  readonly sampleBytes: number;
  /** Copies sample i's pixels into out. */
  read(i: number, out: Uint8Array): void;
  close(): void;
}

export function cacheKey(samples: readonly Sample[], size: number, channels: number): string {
  const h = createHash('sha1');
  h.update(`v1 ${size} ${channels}\n`);
  for (const s of samples) {
    const st = statSync(s.path);
    h.update(`${s.path}\t${st.size}\t${st.mtimeMs}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

export interface BuildOptions {
  readonly size: number;
  readonly channels: 1 | 3;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface SkippedImage {
  /** Index into the samples the cache was built from. */
  readonly index: number;
  readonly path: string;
  readonly reason: string;
}

export interface PixelCacheFile {
  readonly file: string;
  /** The samples not in the cache, in order; the cache holds the others in order. */
  readonly skipped: readonly SkippedImage[];
}

interface CacheMeta {
  readonly count: number;
  readonly skipped: readonly SkippedImage[];
}

/** The cache's image list, when the cache is whole: its size is exactly count images. */
function reusable(file: string, bytes: number, samples: number): CacheMeta | undefined {
  try {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CacheMeta;
    if (meta.count + meta.skipped.length === samples && statSync(file).size === meta.count * bytes) return meta;
  } catch {
    // No cache, or no (readable) list beside it: decode afresh.
  }
  return undefined;
}

function undecodableLimit(split: string, skipped: readonly SkippedImage[], total: number): UserError | undefined {
  if (skipped.length <= Math.max(1, Math.floor(MAX_UNDECODABLE * total))) return undefined;
  const first = skipped.slice(0, 3).map((s) => `${s.path} (${s.reason})`).join('; ');
  return new UserError(
    `${skipped.length} of ${total} ${split} images cannot be decoded, more than ${100 * MAX_UNDECODABLE}%: ${first}${skipped.length > 3 ? ' ...' : ''}; run lade analyze --validate to list them`,
  );
}

/** Returns the cache file for these samples, decoding them first unless a matching cache exists. */
export async function buildPixelCache(dir: string, split: string, samples: readonly Sample[], opts: BuildOptions): Promise<PixelCacheFile> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${split}-${cacheKey(samples, opts.size, opts.channels)}.u8`);
  const bytes = opts.size * opts.size * opts.channels;
  const cached = reusable(file, bytes, samples.length);
  if (cached) return { file, skipped: cached.skipped };
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const px = new Uint8Array(bytes);
  const skipped: SkippedImage[] = [];
  let done = false;
  try {
    for (let i = 0; i < samples.length; i++) {
      try {
        resizeInto(decodeImage(readFileSync(samples[i].path), samples[i].path), opts.size, opts.channels, px);
        writeSync(fd, px);
      } catch (e) {
        if (!(e instanceof ImageDecodeError)) throw e;
        skipped.push({ index: i, path: samples[i].path, reason: e.reason });
        const tooMany = undecodableLimit(split, skipped, samples.length);
        if (tooMany) throw tooMany;
      }
      if (i % 256 === 255 || i === samples.length - 1) {
        opts.onProgress?.(i + 1, samples.length);
        // Yield so a worker can receive 'cancel' during a long decode.
        await new Promise((r) => setImmediate(r));
        if (opts.signal?.aborted) throw new DecodeCancelled('Cancelled while decoding images.');
      }
    }
    done = true;
  } finally {
    closeSync(fd);
    if (!done) rmSync(tmp, { force: true });
  }
  writeFileAtomic(`${file}.json`, JSON.stringify({ count: samples.length - skipped.length, skipped } satisfies CacheMeta));
  renameSync(tmp, file);
  return { file, skipped };
}

export function openPixelCache(file: string, sampleBytes: number): PixelSource {
  const size = statSync(file).size;
  if (size % sampleBytes !== 0) throw new Error(`Pixel cache '${file}' is truncated (${size} bytes).`);
  const count = size / sampleBytes;
  if (size <= IN_MEMORY_LIMIT) {
    const all = new Uint8Array(readFileSync(file));
    return {
      count,
      sampleBytes,
      read: (i, out) => out.set(all.subarray(i * sampleBytes, (i + 1) * sampleBytes)),
      close: () => undefined,
    };
  }
  const fd = openSync(file, 'r');
  return {
    count,
    sampleBytes,
    read: (i, out) => {
      readSync(fd, out, 0, sampleBytes, i * sampleBytes);
    },
    close: () => closeSync(fd),
  };
}
