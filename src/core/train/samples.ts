// The training view of a folder-per-class dataset, (path, class index) per split, read through the same
// dataset view analyze uses, and the stratified validation split held out when the dataset has none.
import { datasetView } from '../dataset';
import { DatasetError } from '../dataset/errors';
import type { ScanWarning } from '../dataset/types';
import { Rng } from '../rng';

export interface Sample {
  readonly path: string;
  readonly label: number;
}

export interface SampleListing {
  readonly classes: readonly string[];
  /** train, and val / test where the dataset has them. */
  readonly splits: ReadonlyMap<string, readonly Sample[]>;
  /** Skipped files and folders, empty classes: the warnings analyze gives for the same folder. */
  readonly warnings: readonly ScanWarning[];
}

export async function listImageFolder(root: string): Promise<SampleListing> {
  const view = await datasetView(root);
  if (view.classes.length < 2) throw new DatasetError(`${root} needs at least two class folders, found ${view.classes.length}`, root);
  const splits = new Map<string, Sample[]>();
  for (const [name, samples] of view.splits) splits.set(name, samples.map((s) => ({ path: s.path, label: s.classIndex })));
  if ((splits.get('train') ?? []).length === 0) throw new DatasetError(`no PNG or JPEG images to train on in ${root}`, root);
  return { classes: view.classes, splits, warnings: view.warnings };
}

/**
 * Moves floor(fraction * n_c) images, but at least one, of every class with at least two images from train
 * to val, chosen at random with `seed`, so every class that can spare an image is evaluated and the held-out
 * split keeps the training distribution. A class of one image stays in train (it has none to spare).
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
    const take = group.length >= 2 && fraction > 0 ? Math.max(1, Math.floor(group.length * fraction)) : 0;
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
