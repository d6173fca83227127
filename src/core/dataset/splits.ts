// Split names (train/val/test ...): recognising a split level and choosing the split statistics describe.

/** Recognised split folder / file-name words and their canonical order (train first). */
const SPLIT_RANK: ReadonlyMap<string, number> = new Map([
  ['train', 0],
  ['training', 0],
  ['val', 1],
  ['valid', 1],
  ['validation', 1],
  ['dev', 1],
  ['test', 2],
  ['testing', 2],
]);

export function isSplitName(name: string): boolean {
  return SPLIT_RANK.has(name.toLowerCase());
}

function rank(name: string): number {
  return SPLIT_RANK.get(name.toLowerCase()) ?? 3;
}

/** Train-like first, then validation, then test, then anything else; ties by name. */
export function sortSplits(names: readonly string[]): string[] {
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The split statistics describe: the first in canonical order (train where present). */
export function primarySplitOf(names: readonly string[]): string | null {
  return sortSplits(names)[0] ?? null;
}

/** Split word in a manifest file name such as ImageNet_LT_train.txt or places-val.csv, if any. */
export function splitFromFileName(fileName: string): string | null {
  const stem = fileName.replace(/\.[^.]*$/, '');
  const words = stem.split(/[^A-Za-z]+/).filter((w) => w.length > 0);
  for (let i = words.length - 1; i >= 0; i--) {
    if (isSplitName(words[i]!)) return words[i]!.toLowerCase();
  }
  return null;
}

const CANONICAL = ['train', 'val', 'test'];

/** train / val / test for any recognised spelling (training, valid, dev, testing ...); other names as given. */
export function canonicalSplit(name: string): string {
  return CANONICAL[rank(name)] ?? name;
}
