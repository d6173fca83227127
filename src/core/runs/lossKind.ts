// How a run was trained, and what that means at inference. The one spelling of the loss everywhere
// (run.json, CLI flags, messages, the estimator):
//   ce    plain softmax cross-entropy: its logits carry log p_s
//   lade  LADE-CE + the LADE regularizer (Hong et al. 2021)
//   bs    Balanced Softmax (= LADE-CE alone)
//   la    logit-adjusted cross-entropy (Menon et al. 2021), taken at tau = 1
// Every loss but ce leaves logits free of the training prior, so the model compensates itself with
// + log p_t; a ce model is compared as plain Softmax and as PC Softmax (docs/math.md, section 3).
import type { BiasKind } from '../priors/bias';

export const LOSS_KINDS = ['ce', 'lade', 'bs', 'la'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** The losses the TF.js engine trains, in the order offered to the user. */
export const TFJS_LOSSES: readonly LossKind[] = ['lade', 'ce', 'bs'];

export const LOSS_NAMES: Readonly<Record<LossKind, string>> = {
  ce: 'Cross-entropy',
  lade: 'LADE',
  bs: 'Balanced Softmax',
  la: 'Logit adjustment',
};

/**
 * How logits are compensated for a target prior p_t:
 *   softmax     softmax(z), no compensation (the baseline)
 *   pc_softmax  softmax(z - log p_s + log p_t), a ce model's post-compensation
 *   lade        softmax(z + log p_t), the compensation of every prior-free loss (lade, bs, la)
 */
export const METHODS = ['softmax', 'pc_softmax', 'lade'] as const;
export type Method = (typeof METHODS)[number];

/** The methods a run trained with `loss` is compared as; the last one is its compensated method. */
export function methodsFor(loss: LossKind): readonly Method[] {
  return loss === 'ce' ? ['softmax', 'pc_softmax'] : ['lade'];
}

/** The method that moves a run to a target prior. */
export function compensatedMethod(loss: LossKind): Method {
  return loss === 'ce' ? 'pc_softmax' : 'lade';
}

/** The priorBias formula of a method. */
export function biasKindOf(method: Method): BiasKind {
  switch (method) {
    case 'softmax':
      return 'softmax';
    case 'pc_softmax':
      return 'ce-pc';
    case 'lade':
      return 'lade';
  }
}

/** What a method is called in tables and charts: the prior-free compensation is named for its loss. */
export function methodLabel(method: Method, loss: LossKind): string {
  switch (method) {
    case 'softmax':
      return 'Softmax';
    case 'pc_softmax':
      return 'PC Softmax';
    case 'lade':
      return LOSS_NAMES[loss];
  }
}

/** Whether the logits already are source posteriors (plain CE) rather than prior-free. */
export function logitsCarrySourcePrior(loss: LossKind): boolean {
  return loss === 'ce';
}
