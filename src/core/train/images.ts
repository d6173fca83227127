// Decodes PNG/JPEG files (pngjs, jpeg-js: pure JS, no native code) into size x size uint8 pixels with 1 or 3
// channels, resized bilinearly (pixel centres aligned, like PyTorch's align_corners=False).
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { UserError } from '../userError';

/** An image file the decoder cannot read; training skips such files up to a limit. */
export class ImageDecodeError extends UserError {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot decode image ${file}: ${reason}`);
  }
}

export interface Rgba {
  readonly width: number;
  readonly height: number;
  /** width * height * 4 bytes. */
  readonly data: Uint8Array;
}

export function decodeImage(buf: Buffer, file: string): Rgba {
  try {
    if (buf.length >= 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) {
      const png = PNG.sync.read(buf);
      return { width: png.width, height: png.height, data: png.data };
    }
    if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8) {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new ImageDecodeError(file, e instanceof Error ? e.message : String(e));
  }
  throw new ImageDecodeError(file, 'neither a PNG nor a JPEG (by its first bytes)');
}

export function isGray(img: Rgba): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/** Writes the resized image into out (size * size * channels bytes, HWC). */
export function resizeInto(img: Rgba, size: number, channels: 1 | 3, out: Uint8Array): void {
  const { width: w, height: h, data } = img;
  const sx = w / size;
  const sy = h / size;
  for (let y = 0; y < size; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const wy = fy - y0;
    for (let x = 0; x < size; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const wx = fx - x0;
      const o = (y * size + x) * channels;
      for (let c = 0; c < channels; c++) {
        const px = (yy: number, xx: number): number => {
          const i = (yy * w + xx) * 4;
          // One channel: ITU-R 601 luma (exactly the grey value when R = G = B).
          return channels === 1 ? 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] : data[i + c];
        };
        const top = px(y0, x0) * (1 - wx) + px(y0, x1) * wx;
        const bottom = px(y1, x0) * (1 - wx) + px(y1, x1) * wx;
        out[o + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
}
