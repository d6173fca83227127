import { describe, expect, it } from 'vitest';
import { sniffFormat, truncationProblem } from '../../../../src/core/dataset/imageSignature';
import { jpegBytes, pngBytes } from './helpers';

describe('image signatures', () => {
  it('recognises formats by magic bytes, not by name', () => {
    expect(sniffFormat(pngBytes())).toBe('png');
    expect(sniffFormat(jpegBytes())).toBe('jpeg');
    expect(sniffFormat(Buffer.from('GIF89a......;'))).toBe('gif');
    expect(sniffFormat(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('webp');
    expect(sniffFormat(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('tiff');
    expect(sniffFormat(Buffer.from('hello, not an image'))).toBeNull();
    expect(sniffFormat(Buffer.alloc(0))).toBeNull();
  });

  it('accepts complete files and flags cut PNG and JPEG files', () => {
    const png = pngBytes(3);
    const jpg = jpegBytes(3);
    expect(truncationProblem(png, 'png')).toBeNull();
    expect(truncationProblem(jpg, 'jpeg')).toBeNull();
    expect(truncationProblem(png.subarray(0, png.length - 10), 'png')).toMatch(/IEND/);
    expect(truncationProblem(jpg.subarray(0, jpg.length - 4), 'jpeg')).toMatch(/end-of-image/);
    expect(truncationProblem(jpg.subarray(0, 40), 'jpeg')).toMatch(/start-of-scan/);
  });

  it('checks the size BMP and WebP files declare', () => {
    const bmp = Buffer.alloc(30);
    bmp.write('BM');
    bmp.writeUInt32LE(30, 2);
    expect(truncationProblem(bmp, 'bmp')).toBeNull();
    bmp.writeUInt32LE(3000, 2);
    expect(truncationProblem(bmp, 'bmp')).toMatch(/declares 3000 bytes but has 30/);
  });
});
