// Lists a folder-per-class image dataset as (path, class index) per split, and holds out a stratified
// validation split when the dataset has none.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../rng';

export interface Sample {
  readonly path: string;
  readonly label: number;
}

export interface SampleListing {
  readonly classes: readonly string[];
  /** train, and val / test where the dataset has them. */
  readonly splits: ReadonlyMap<string, readonly Sample[]>;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);
const SPLIT_NAMES: Record<string, string> = { train: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test' };

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function imagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...imagesUnder(p));
    else if (IMAGE_EXT.has(path.extname(e.name).toLowerCase())) out.push(p);
  }
  // Numeric-aware order so "file order" means 2.png before 10.png.
  return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function listImageFolder(root: string): SampleListing {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`Dataset folder '${root}' does not exist or is not a folder.`);
  }
  const top = subdirs(root);
  const splitDirs = top.filter((d) => d.toLowerCase() in SPLIT_NAMES);
  const layout: [string, string][] = splitDirs.some((d) => SPLIT_NAMES[d.toLowerCase()] === 'train')
    ? splitDirs.map((d) => [SPLIT_NAMES[d.toLowerCase()], path.join(root, d)])
    : [['train', root]];
  const trainDir = layout.find(([s]) => s === 'train')![1];
  const classes = subdirs(trainDir);
  if (classes.length < 2) throw new Error(`'${trainDir}' needs at least two class folders, found ${classes.length}.`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const splits = new Map<string, Sample[]>();
  for (const [split, dir] of layout) {
    const samples: Sample[] = [];
    for (const cls of subdirs(dir)) {
      const label = index.get(cls);
      if (label === undefined) throw new Error(`Class '${cls}' in split '${split}' has no folder in the train split.`);
      for (const p of imagesUnder(path.join(dir, cls))) samples.push({ path: p, label });
    }
    splits.set(split, samples);
  }
  if ((splits.get('train') ?? []).length === 0) throw new Error(`No .png/.jpg images found under '${trainDir}'.`);
  return { classes, splits };
}

/**
 * Moves floor(fraction * n_c) images of every class with at least two images from train to val, chosen
 * at random with `seed`, so the held-out split has the training distribution.
 */
export function holdOutValidation(
  train: readonly Sample[],
  numClasses: number,
  fraction: number,
  seed: number,
): { train: Sample[]; val: Sample[] } {
  const byClass: Sample[][] = Array.from({ length: numClasses }, () => []);
  for (const s of train) byClass[s.label].push(s);
  const rng = new Rng(seed ^ 0x5eed);
  const keep: Sample[] = [];
  const val: Sample[] = [];
  for (const group of byClass) {
    const take = group.length >= 2 ? Math.floor(group.length * fraction) : 0;
    const order = rng.permutation(group.length);
    order.forEach((j, k) => (k < take ? val : keep).push(group[j]));
  }
  const byPath = (a: Sample, b: Sample): number => a.label - b.label || a.path.localeCompare(b.path, 'en', { numeric: true });
  return { train: keep.sort(byPath), val: val.sort(byPath) };
}

export function classCounts(samples: readonly Sample[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const s of samples) counts[s.label]++;
  return counts;
}
