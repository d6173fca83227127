// Decoded pixels of one split, cached on disk under the run folder as one uint8 file (N x size x size x C).
// The file name carries a hash of every image's path, byte size and mtime plus the input size and channels,
// so a changed dataset or setting decodes afresh while an unchanged one (a resumed run) skips decoding.
// Large caches are read sample by sample, so memory stays bounded for 100k+ images.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { decodeImage, resizeInto } from './images';
import type { Sample } from './samples';

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

/** Returns the cache file for these samples, decoding them first unless a matching cache exists. */
export async function buildPixelCache(dir: string, split: string, samples: readonly Sample[], opts: BuildOptions): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${split}-${cacheKey(samples, opts.size, opts.channels)}.u8`);
  if (existsSync(file)) return file;
  const bytes = opts.size * opts.size * opts.channels;
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const px = new Uint8Array(bytes);
  let done = false;
  try {
    for (let i = 0; i < samples.length; i++) {
      resizeInto(decodeImage(readFileSync(samples[i].path), samples[i].path), opts.size, opts.channels, px);
      writeSync(fd, px);
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
  renameSync(tmp, file);
  return file;
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
