// npm run bench:decode: images/s of decode + resize to the training input (32x32) with the pure-JS path
// the trainer uses (pngjs / jpeg-js + bilinear resize) against sharp (libvips) when it is installed, for
// 28x28 grey PNGs (Fashion-MNIST-like) and 256x256 colour JPEGs. Rounds alternate between the two; prints
// medians and the ratio ours / sharp.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage, resizeInto } from '../src/core/train/images';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COUNT = Number(process.env.BENCH_IMAGES ?? 300);
const SIZE = 32;

function makePng(i: number): Buffer {
  const png = new PNG({ width: 28, height: 28 });
  for (let p = 0; p < 28 * 28; p++) {
    const v = (p * 7 + i * 13) % 256;
    png.data.set([v, v, v, 255], p * 4);
  }
  return PNG.sync.write(png);
}

function makeJpeg(i: number): Buffer {
  const w = 256;
  const data = Buffer.alloc(w * w * 4);
  for (let p = 0; p < w * w; p++) data.set([(p + i) % 256, (p >> 8) % 256, (i * 31) % 256, 255], p * 4);
  return jpeg.encode({ data, width: w, height: w }, 85).data;
}

type Decoder = (buf: Buffer, channels: 1 | 3) => Promise<void>;

const ours: Decoder = async (buf, channels) => {
  resizeInto(decodeImage(buf, 'bench'), SIZE, channels, new Uint8Array(SIZE * SIZE * channels));
};

interface SharpLike {
  (input: Buffer): {
    resize(w: number, h: number, o: { fit: string }): { toColourspace(c: string): { raw(): { toBuffer(): Promise<Buffer> } } };
  };
}

async function loadSharp(): Promise<Decoder | undefined> {
  try {
    const mod = (await import('sharp')) as unknown as { default: SharpLike };
    const sharp = mod.default;
    return async (buf, channels) => {
      await sharp(buf).resize(SIZE, SIZE, { fit: 'fill' }).toColourspace(channels === 1 ? 'b-w' : 'srgb').raw().toBuffer();
    };
  } catch {
    return undefined;
  }
}

async function rate(decode: Decoder, images: Buffer[], channels: 1 | 3): Promise<number> {
  const t0 = performance.now();
  for (const b of images) await decode(b, channels);
  return images.length / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const sharp = await loadSharp();
  if (!sharp) console.log('(sharp is not installed: only the pure-JS path is measured)');
  const sets: [string, Buffer[], 1 | 3][] = [
    ['PNG 28x28 grey', Array.from({ length: COUNT }, (_, i) => makePng(i)), 1],
    ['JPEG 256x256 colour', Array.from({ length: Math.ceil(COUNT / 5) }, (_, i) => makeJpeg(i)), 3],
  ];
  console.log(`decode + resize to ${SIZE}x${SIZE}, ${ROUNDS} alternating rounds, images/s (median):`);
  for (const [label, images, channels] of sets) {
    const a: number[] = [];
    const b: number[] = [];
    await rate(ours, images.slice(0, 5), channels);
    if (sharp) await rate(sharp, images.slice(0, 5), channels);
    for (let r = 0; r < ROUNDS; r++) {
      a.push(await rate(ours, images, channels));
      if (sharp) b.push(await rate(sharp, images, channels));
    }
    const line = `${label.padEnd(20)} pngjs/jpeg-js ${median(a).toFixed(0).padStart(7)}`;
    console.log(sharp ? `${line}   sharp ${median(b).toFixed(0).padStart(7)}   ratio ours/sharp ${(median(a) / median(b)).toFixed(2)}` : line);
  }
}

void main();
