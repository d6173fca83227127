// The post-compensation adjustment of a run for a target prior, as exported next to an adjusted model
// (adjustment.json): the per-class bias, its formula and the priors, for use in any framework.
import { biasKindOf, compensatedMethod, LOSS_NAMES, type LossKind } from '../runs/lossKind';
import { priorBias } from './bias';

/** A class the target never sees gets this bias instead of -Infinity: exp(-1e4) is 0 in float32, and JSON can hold it. */
export const NEVER_PREDICT = -1e4;

function formula(loss: LossKind): string {
  return compensatedMethod(loss) === 'pc_softmax'
    ? 'adjusted_logits = logits - log(p_s) + log(p_t)   (PC Softmax)'
    : `adjusted_logits = logits + log(p_t)   (${LOSS_NAMES[loss]}: softmax(z + log p_t))`;
}

export interface AdjustmentFile {
  readonly format: 'lade-adjustment';
  readonly version: 1;
  readonly run: string;
  readonly lossKind: LossKind;
  readonly prior: string;
  readonly formula: string;
  readonly neverPredict: number;
  readonly classes: readonly string[];
  readonly sourcePrior: readonly number[];
  readonly targetPrior: readonly number[];
  /** Add to the logits (or to the last layer's bias); NEVER_PREDICT where p_t = 0. */
  readonly bias: readonly number[];
}

/** The adjustment as exported: finite everywhere. */
export function adjustment(
  run: { name: string; lossKind: LossKind; classes: readonly string[]; trainCounts: readonly number[] },
  target: { label: string; shares: readonly number[] },
): AdjustmentFile {
  const raw = priorBias(biasKindOf(compensatedMethod(run.lossKind)), run.trainCounts, target.shares, { classNames: run.classes });
  const total = run.trainCounts.reduce((a, b) => a + b, 0);
  return {
    format: 'lade-adjustment',
    version: 1,
    run: run.name,
    lossKind: run.lossKind,
    prior: target.label,
    formula: `${formula(run.lossKind)}; a bias of ${NEVER_PREDICT} stands for log(0) (never predicted)`,
    neverPredict: NEVER_PREDICT,
    classes: run.classes,
    sourcePrior: run.trainCounts.map((n) => n / total),
    targetPrior: [...target.shares],
    bias: Array.from(raw, (b) => (b === -Infinity ? NEVER_PREDICT : b)),
  };
}
