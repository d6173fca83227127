// Builds samples/fashion-lt/ from Fashion-MNIST (Debian package dataset-fashion-mnist, MIT/Expat licence):
// a long-tailed train split n_i = floor(500 * 0.01^(i/9)), 20 val and 100 test images per class, one 28x28
// grayscale PNG per image in folder-per-class layout. Deterministic: each split keeps the first images of
// each class in file order (val continues where train stopped, so the two are disjoint).
//
// Run: npm run samples:make [-- --source DIR --out DIR]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { longTailedCounts } from '../src/core/priors';

/** Fashion-MNIST label order, with '/' and spaces made filesystem-safe. */
const FASHION_CLASSES = [
  'T-shirt_top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle_boot',
] as const;

const N_MAX = 500;
const IMBALANCE = 100;
const VAL_PER_CLASS = 20;
const TEST_PER_CLASS = 100;

interface IdxImages {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly pixels: Buffer;
}

function readIdxImages(file: string): IdxImages {
  const buf = gunzipSync(readFileSync(file));
  if (buf.readUInt32BE(0) !== 2051) throw new Error(`${file}: not an IDX image file (magic ${buf.readUInt32BE(0)})`);
  const count = buf.readUInt32BE(4);
  const rows = buf.readUInt32BE(8);
  const cols = buf.readUInt32BE(12);
  return { count, rows, cols, pixels: buf.subarray(16) };
}

function readIdxLabels(file: string): Buffer {
  const buf = gunzipSync(readFileSync(file));
  if (buf.readUInt32BE(0) !== 2049) throw new Error(`${file}: not an IDX label file (magic ${buf.readUInt32BE(0)})`);
  return buf.subarray(8, 8 + buf.readUInt32BE(4));
}

function encodeGrayPng(images: IdxImages, index: number): Buffer {
  const size = images.rows * images.cols;
  const png = new PNG({ width: images.cols, height: images.rows, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = images.pixels.subarray(index * size, (index + 1) * size);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Source indices of the first `perClass[c]` images of each class c, skipping the first `skip[c]`. */
function pickFirst(labels: Buffer, perClass: readonly number[], skip: readonly number[]): number[][] {
  const picked: number[][] = perClass.map(() => []);
  const seen = perClass.map(() => 0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    if (c >= perClass.length) throw new Error(`label ${c} at index ${i} is outside 0..${perClass.length - 1}`);
    if (seen[c]!++ < skip[c]!) continue;
    if (picked[c]!.length < perClass[c]!) picked[c]!.push(i);
  }
  picked.forEach((idx, c) => {
    if (idx.length < perClass[c]!) throw new Error(`class ${FASHION_CLASSES[c]} has only ${idx.length} images, need ${perClass[c]}`);
  });
  return picked;
}

function writeSplit(out: string, split: string, images: IdxImages, picked: readonly number[][]): number {
  let written = 0;
  picked.forEach((indices, c) => {
    const dir = path.join(out, split, FASHION_CLASSES[c]!);
    mkdirSync(dir, { recursive: true });
    for (const i of indices) {
      writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.png`), encodeGrayPng(images, i));
      written++;
    }
  });
  return written;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      source: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
      out: { type: 'string', default: 'samples/fashion-lt' },
    },
  });
  const source = values.source;
  const out = values.out;
  const C = FASHION_CLASSES.length;
  // The CIFAR-LT profile (docs/math.md, section 4.2).
  const trainCounts = Array.from(longTailedCounts(C, N_MAX, IMBALANCE));

  const trainImages = readIdxImages(path.join(source, 'train-images-idx3-ubyte.gz'));
  const trainLabels = readIdxLabels(path.join(source, 'train-labels-idx1-ubyte.gz'));
  const testImages = readIdxImages(path.join(source, 't10k-images-idx3-ubyte.gz'));
  const testLabels = readIdxLabels(path.join(source, 't10k-labels-idx1-ubyte.gz'));
  const none = new Array<number>(C).fill(0);

  for (const split of ['train', 'val', 'test']) rmSync(path.join(out, split), { recursive: true, force: true });
  const nTrain = writeSplit(out, 'train', trainImages, pickFirst(trainLabels, trainCounts, none));
  const nVal = writeSplit(out, 'val', trainImages, pickFirst(trainLabels, new Array<number>(C).fill(VAL_PER_CLASS), trainCounts));
  const nTest = writeSplit(out, 'test', testImages, pickFirst(testLabels, new Array<number>(C).fill(TEST_PER_CLASS), none));
  console.log(`${out}: train ${nTrain} (${trainCounts.join(', ')}), val ${nVal}, test ${nTest}`);
}

main();
