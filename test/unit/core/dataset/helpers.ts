// Temp dataset trees for the scanning tests: real tiny PNG/JPEG bytes, symlinks, manifests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

const pngCache = new Map<number, Buffer>();

/** A valid 2x2 PNG; `shade` (0-255) makes images with different content (and hashes). */
export function pngBytes(shade = 0): Buffer {
  const cached = pngCache.get(shade & 255);
  if (cached) return cached;
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(shade & 255);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const bytes = PNG.sync.write(png);
  pngCache.set(shade & 255, bytes);
  return bytes;
}

export function jpegBytes(shade = 0): Buffer {
  const data = Buffer.alloc(8 * 8 * 4, shade & 255);
  return encodeJpeg({ data, width: 8, height: 8 }, 90).data;
}

export class TempTree {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(path.join(os.tmpdir(), 'lade-dataset-test-'));
  }

  path(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Writes a file (creating folders); a number of bytes of zeros, a Buffer, or text. */
  file(rel: string, content: Buffer | string = pngBytes()): string {
    const full = this.path(rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  /** `n` distinct PNG images named 0.png ... under `dir`. */
  images(dir: string, n: number, ext = 'png'): void {
    for (let i = 0; i < n; i++) this.file(`${dir}/${i}.${ext}`, pngBytes(i));
  }

  dir(rel: string): string {
    const full = this.path(rel);
    mkdirSync(full, { recursive: true });
    return full;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
