// Target priors the editor offers in one click, built from the run's training counts.
// forward-r / backward-r are the paper's shifted test-set priors (shift.ts): the kept counts
// floor(m (1/r)^(k/(C-1))) over their sum, with m the per-class test count the protocol assumes.
// Browser-safe: the prior editor webview builds presets itself.
import { parsePrior, PriorError, uniformPrior } from './parse';
import { shiftedPrior } from './shift';

/** m of the shift protocol when the caller does not know the evaluation split (the paper's CIFAR-100 value). */
export const DEFAULT_PER_CLASS_TEST_COUNT = 100;

export type PresetSpec =
  | { readonly kind: 'uniform' }
  | { readonly kind: 'training' }
  | { readonly kind: 'forward' | 'backward'; readonly ratio: number; readonly perClassCount?: number }
  | { readonly kind: 'only'; readonly classes: readonly string[] };

/** A short label for lists and file names: uniform, training, forward-10, backward-2.5, only-3-classes. */
export function presetLabel(spec: PresetSpec): string {
  switch (spec.kind) {
    case 'uniform':
    case 'training':
      return spec.kind;
    case 'forward':
    case 'backward':
      return `${spec.kind}-${Number(spec.ratio.toPrecision(4))}`;
    case 'only':
      return spec.classes.length === 1 ? `only-${spec.classes[0]}` : `only-${spec.classes.length}-classes`;
  }
}

/** The normalised prior of a preset over `classNames`, whose training counts are `trainCounts`. */
export function buildPreset(spec: PresetSpec, classNames: readonly string[], trainCounts: ArrayLike<number>): Float64Array {
  const numClasses = classNames.length;
  if (trainCounts.length !== numClasses) {
    throw new PriorError(`preset ${presetLabel(spec)}: ${trainCounts.length} training counts for ${numClasses} classes.`);
  }
  switch (spec.kind) {
    case 'uniform':
      return uniformPrior(numClasses);
    case 'training':
      return parsePrior(trainCounts, numClasses, 'training counts', classNames);
    case 'forward':
    case 'backward': {
      const m = spec.perClassCount ?? DEFAULT_PER_CLASS_TEST_COUNT;
      if (!Number.isInteger(m) || m < 1) {
        throw new PriorError(`preset ${presetLabel(spec)}: the per-class test count must be a positive integer, got ${m}.`);
      }
      return shiftedPrior(trainCounts, m, spec.kind, spec.ratio);
    }
    case 'only': {
      const index = new Map(classNames.map((n, i) => [n, i]));
      const out = new Float64Array(numClasses);
      for (const name of spec.classes) {
        const i = index.get(name);
        if (i === undefined) throw new PriorError(`preset "only these classes": there is no class '${name}'.`);
        out[i] = 1;
      }
      return parsePrior(out, numClasses, 'preset "only these classes"', classNames);
    }
  }
}
