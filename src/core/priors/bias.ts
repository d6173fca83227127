// Post-compensation: the per-class logit bias that moves a trained model's predictions to a target
// prior p_t. It folds into the last dense layer's bias, so an adjusted model keeps its architecture.
//   LADE / Balanced Softmax:  softmax(z + log p_t)            (their logits carry no source prior)
//   PC Softmax (plain CE):    softmax(z - log p_s + log p_t)
//   Logit adjustment, tau:    softmax(z - (1 - tau) log p_s + log p_t)   (tau = 1: as LADE; tau = 0: as PC)
//   Plain softmax:            softmax(z)                       (no compensation: the baseline)
// No epsilon here (as in the official inference code): p_t(c) = 0 gives -Infinity, "never predict c".
import { className } from '../classLabels';
import { parsePrior, PriorError } from './parse';

export type BiasKind = 'lade' | 'bs' | 'la' | 'ce-pc' | 'softmax';

export interface BiasOptions {
  /** Temperature the logit-adjusted ('la') model was trained with (default 1). */
  readonly tau?: number;
  readonly classNames?: readonly string[];
}

/** Per-class bias to add to the logits; priors are validated (counts or probabilities). */
export function priorBias(
  kind: BiasKind,
  sourcePrior: ArrayLike<number>,
  targetPrior: ArrayLike<number>,
  options: BiasOptions = {},
): Float64Array {
  const numClasses = sourcePrior.length;
  const names = options.classNames;
  const ps = parsePrior(sourcePrior, numClasses, 'source prior', names);
  const pt = parsePrior(targetPrior, numClasses, 'target prior', names);
  const bias = new Float64Array(numClasses);
  if (kind === 'softmax') return bias;
  const tau = options.tau ?? 1;
  if (!Number.isFinite(tau)) throw new PriorError(`logit adjustment: tau must be a finite number, got ${tau}.`);
  // Weight of -log p_s in the bias: none for LADE/BS, all of it for PC Softmax.
  const sourceWeight = kind === 'ce-pc' ? 1 : kind === 'la' ? 1 - tau : 0;
  for (let c = 0; c < numClasses; c++) {
    const logTarget = Math.log(pt[c]);
    if (sourceWeight === 0 || logTarget === -Infinity) {
      bias[c] = logTarget;
      continue;
    }
    if (ps[c] === 0) {
      const name = className(c, names);
      throw new PriorError(
        `${kind === 'ce-pc' ? 'PC Softmax' : 'logit adjustment'}: ${name} has no training images (source prior 0) ` +
          'but a positive target prior, so its compensation -log p_s is infinite; give it target prior 0 or train with LADE.',
      );
    }
    bias[c] = logTarget - sourceWeight * Math.log(ps[c]);
  }
  return bias;
}
