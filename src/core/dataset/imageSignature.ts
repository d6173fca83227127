// Image formats from their magic bytes, and cheap end-of-file checks that catch truncated files without
// decoding them.
import type { ImageExtension } from './imageFiles';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'tiff';

const FORMAT_OF_EXTENSION: Readonly<Record<ImageExtension, ImageFormat>> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  gif: 'gif',
  bmp: 'bmp',
  webp: 'webp',
  tif: 'tiff',
  tiff: 'tiff',
};

export function formatOfExtension(ext: ImageExtension): ImageFormat {
  return FORMAT_OF_EXTENSION[ext];
}

function startsWith(buf: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  if (buf.length < offset + bytes.length) return false;
  return bytes.every((b, i) => buf[offset + i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** The format the file's first bytes announce, or null when they match none we read. */
export function sniffFormat(buf: Uint8Array): ImageFormat | null {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, ascii('GIF87a')) || startsWith(buf, ascii('GIF89a'))) return 'gif';
  if (startsWith(buf, ascii('RIFF')) && startsWith(buf, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(buf, ascii('BM')) && buf.length >= 26) return 'bmp';
  return null;
}

function lastIndexOfPair(buf: Uint8Array, a: number, b: number, from = buf.length - 2): number {
  for (let i = Math.min(from, buf.length - 2); i >= 0; i--) if (buf[i] === a && buf[i + 1] === b) return i;
  return -1;
}

/**
 * Why the file looks cut short, or null when its end is where its format says. TIFF has no trailer and is
 * left to the decoder.
 */
export function truncationProblem(buf: Uint8Array, format: ImageFormat): string | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  switch (format) {
    case 'png':
      // The last chunk is IEND: length 0, type "IEND", CRC.
      return startsWith(buf, ascii('IEND'), buf.length - 8) ? null : 'PNG ends without its IEND chunk';
    case 'jpeg': {
      // After the last start-of-scan, entropy-coded data never holds FF D9 except the end-of-image marker.
      const sos = lastIndexOfPair(buf, 0xff, 0xda);
      if (sos < 0) return 'JPEG has no image data (no start-of-scan marker)';
      return lastIndexOfPair(buf, 0xff, 0xd9) > sos ? null : 'JPEG ends without its end-of-image marker';
    }
    case 'gif':
      return buf[buf.length - 1] === 0x3b ? null : 'GIF ends without its trailer byte';
    case 'bmp': {
      const declared = view.getUint32(2, true);
      return declared <= buf.length ? null : `BMP declares ${declared} bytes but has ${buf.length}`;
    }
    case 'webp': {
      const declared = view.getUint32(4, true) + 8;
      return buf.length >= 12 && declared <= buf.length ? null : `WebP declares ${declared} bytes but has ${buf.length}`;
    }
    case 'tiff':
      return null;
  }
}
