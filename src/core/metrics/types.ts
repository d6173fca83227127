// What an evaluation of cached logits reports. Plain data and typed arrays: structured-cloneable, so a
// web worker can post it to the panel as is.

/** Shot groups by training count n: many n > many, few n < few, medium otherwise (paper: 100 and 20). */
export interface ShotThresholds {
  readonly many: number;
  readonly few: number;
}

export const DEFAULT_SHOT_THRESHOLDS: ShotThresholds = { many: 100, few: 20 };

/** Mean per-class recall of each shot group; null where the group has no class in the evaluation set. */
export interface ShotMeans {
  readonly many: number | null;
  readonly medium: number | null;
  readonly few: number | null;
}

/** One bin of the reliability diagram: confidences in (lower, upper]. */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  /** Samples in the bin (unweighted). */
  readonly count: number;
  /** Share of the (target-reweighted) sample mass in the bin. */
  readonly weight: number;
  /** Weighted accuracy and mean confidence in the bin; 0 for an empty bin. */
  readonly accuracy: number;
  readonly confidence: number;
}

export interface EvalMetrics {
  readonly numSamples: number;
  readonly numClasses: number;
  /** Plain top-1 accuracy on the evaluation set as it is (predictions include the bias). */
  readonly top1: number;
  /** sum_y p_t(y) recall_y over the classes present, renormalised by targetCoverage; = top1 without a target prior. */
  readonly expectedAccuracy: number;
  /** Target mass on classes that have evaluation samples (1 when every class with p_t > 0 is present). */
  readonly targetCoverage: number;
  /** Recall per class; 0 where the class has no evaluation samples (see support). */
  readonly perClassRecall: Float64Array;
  /** Precision per class under the target prior (columns of the reweighted confusion); 0 where never predicted. */
  readonly perClassPrecision: Float64Array;
  /** Evaluation samples per class. */
  readonly support: Int32Array;
  /** Predictions per class. */
  readonly predictedCount: Int32Array;
  /** Mean recall over classes with samples (balanced accuracy). */
  readonly macroRecall: number;
  /** Mean precision over classes that have samples or predictions. */
  readonly macroPrecision: number;
  /** Null unless training counts were given. */
  readonly shots: ShotMeans | null;
  /** Mean negative log-likelihood of the label, samples weighted by p_t(y) / p_eval(y). */
  readonly nll: number;
  /** Multi-class Brier score sum_c (p_c - 1[c = y])^2 (range 0..2), same weights. */
  readonly brier: number;
  /** Expected calibration error over 15 equal-width confidence bins, same weights. */
  readonly ece: number;
  readonly reliability: readonly ReliabilityBin[];
  /** Row-major C x C counts: confusion[y * C + predicted]. */
  readonly confusion: Int32Array;
}
