// What "LADE: Import Model or Predictions" offers and checks, without vscode so it is testable under plain
// Node: the split name a file suggests, the trained-with choices, and whether a run name can be used.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LOSS_KINDS, type LossKind } from '../../core/runs';
import { SPLIT_NAME } from '../../core/runs/fields';

/** val or test when the file's name says so (val.npz, logits_test.csv, validation-preds...), else undefined. */
export function suggestedSplitName(file: string): 'val' | 'test' | undefined {
  const words = path.basename(file, path.extname(file)).toLowerCase().split(/[^a-z]+/);
  const isVal = words.some((w) => w === 'val' || w === 'valid' || w === 'validation');
  const isTest = words.includes('test');
  if (isVal === isTest) return undefined;
  return isVal ? 'val' : 'test';
}

/** Why `name` cannot name another split of this import, or null. */
export function splitNameProblem(name: string, taken: readonly string[]): string | null {
  if (!SPLIT_NAME.test(name)) return 'A split name is 1-64 letters, digits, _ or - (it becomes part of file names in the run folder).';
  if (taken.includes(name)) return `Another file is already the '${name}' split.`;
  return null;
}

/** How the model was trained, which decides its post-compensation (src/core/runs/lossKind.ts); ce first. */
const LOSS_TEXT: Readonly<Record<LossKind, { readonly label: string; readonly detail: string }>> = {
  ce: { label: 'Plain cross-entropy', detail: 'ce: evaluated as Softmax and PC Softmax (its logits include log p_s)' },
  lade: { label: 'LADE', detail: 'lade: logits without log p_s, compensated with + log p_t' },
  bs: { label: 'Balanced Softmax', detail: 'bs: logits without log p_s, compensated with + log p_t' },
  la: { label: 'Logit-adjusted loss', detail: 'la: logits without log p_s, compensated with + log p_t' },
};

export const LOSS_CHOICES = LOSS_KINDS.map((loss) => ({ loss, ...LOSS_TEXT[loss] }));

/** Why `name` cannot be a new run folder in `runsDir`, or null. */
export function runNameProblem(name: string, runsDir: string): string | null {
  if (name.trim() === '') return 'Give the run a name.';
  if (name !== name.trim() || /[/\\]/.test(name) || name.startsWith('.')) return 'A run name has no slashes, no leading dot and no surrounding spaces.';
  if (existsSync(path.join(runsDir, name))) return `.lade/runs/${name} already exists; choose another name.`;
  return null;
}
