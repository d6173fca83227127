// Prior editor states shared by its browser tests and the screenshot script: Fashion-MNIST's classes with
// long-tailed counts, and synthetic sets of 1,000 and 8,142 (iNaturalist 2018) classes with long names.
import { targetPrior } from '../../src/core/priors/target';
import type { PriorEditorState } from '../../src/protocol/priorEditor';

export const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Counts n_max * (1/ratio)^(k/(C-1)), the usual exponential long tail. */
export function longTail(classes: number, nMax: number, ratio: number): number[] {
  return Array.from({ length: classes }, (_, k) => Math.max(1, Math.round(nMax * ratio ** (-k / Math.max(1, classes - 1)))));
}

export function readyState(names: readonly string[], counts: readonly number[], runName = 'lade-fashion-lt'): PriorEditorState {
  return {
    status: 'ready',
    context: { kind: 'run', runName },
    classes: names.map((name, i) => ({ name, trainCount: counts[i] ?? 0 })),
    target: targetPrior('uniform', new Array<number>(names.length).fill(1)),
    perClassTestCount: 100,
    saved: [{ name: 'deploy-camera-trap-2024', status: 'ok', origin: 'import deploy.csv' }],
  };
}

/** Many classes with species-like names, some long enough to need an ellipsis at 250 px. */
export function manyClassNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `Oncorhynchus_mykiss_gairdnerii_subspecies_${i}` : `species_${String(i).padStart(4, '0')}`));
}
