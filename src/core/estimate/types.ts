// Public types of the label-shift (deployment prior) estimator.

import type { LossKind } from '../runs/lossKind';

/**
 * How the model was trained, which decides how its logits become source posteriors p_s(y|x):
 * plain cross-entropy logits already are; LADE / Balanced Softmax / logit-adjusted logits are
 * prior-free and need log p_s added back (docs/math.md, section 3).
 */
export type { LossKind };

/**
 * em-bcts: Saerens EM on posteriors calibrated by bias-corrected temperature scaling (Alexandari et al. 2020).
 * em: the same EM on uncalibrated posteriors. bbse: black-box shift estimation (Lipton et al. 2018).
 */
export type EstimateMethod = 'em-bcts' | 'em' | 'bbse';

/** Row-major N x C logits. */
export type LogitArray = Float32Array | Float64Array;

export interface EstimateOptions {
  /** Held-out labelled validation logits, N x C, drawn from the source (training) distribution. */
  readonly valLogits: LogitArray;
  readonly valLabels: Int32Array;
  /** Unlabelled deployment logits, n x C. */
  readonly deployLogits: LogitArray;
  readonly numClasses: number;
  readonly lossKind: LossKind;
  /** Training prior p_s (sums to 1); required for every lossKind but 'ce'. */
  readonly sourcePrior?: ArrayLike<number>;
  readonly method: EstimateMethod;
  /** Bootstrap resamples of the deployment set for 95% intervals; 0 or absent: no intervals. */
  readonly bootstrap?: number;
  /**
   * Also resample the validation split in each bootstrap resample, refitting the calibration, so the
   * intervals include calibration uncertainty (dominant when the split is small). Default: on when the
   * validation logits hold at most 1e6 values.
   */
  readonly bootstrapValidation?: boolean;
  /** Seed of the bootstrap RNG (default 0). */
  readonly seed?: number;
  /** Dirichlet pseudo-count added to every class in each EM M-step (default 0). */
  readonly smoothing?: number;
  /**
   * Semi-supervised EM: one entry per deployment row, the known class or -1 where unlabelled.
   * BBSE ignores it.
   */
  readonly deployLabels?: Int32Array;
  /**
   * Precision of the Gaussian prior on the calibration biases, or 'auto' (default): chosen by
   * cross-validated NLL on the validation split (see calibrate.ts).
   */
  readonly biasL2?: number | 'auto';
  /** EM limits (defaults: 100 iterations, L1 change 1e-6). */
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Names used in messages instead of class indices. */
  readonly classNames?: readonly string[];
  readonly onProgress?: (progress: EstimateProgress) => void;
}

export interface EstimateProgress {
  readonly phase: 'calibrate' | 'estimate' | 'bootstrap';
  readonly done: number;
  readonly total: number;
}

export interface Calibration {
  /** Temperature; 1 when the method does not calibrate. */
  readonly T: number;
  /** Per-class bias b; zeros when the method does not calibrate. */
  readonly b: Float64Array;
  /** The L2 strength used for b (0 when the method does not calibrate). */
  readonly biasL2: number;
  /** Mean validation NLL of softmax(s/T + b) (without the L2 term). */
  readonly nll: number;
  /** Mean validation NLL at T = 1, b = 0, for comparison. */
  readonly nllUncalibrated: number;
  readonly iterations: number;
}

export interface PriorIntervals {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly level: number;
  readonly resamples: number;
  /** Whether each resample also redrew the validation split (and refitted the calibration). */
  readonly includesCalibration: boolean;
}

/** Two-sample KS test of the label-shift assumption on the max-probability statistic. */
export interface ShiftCheck {
  /** Weighted KS statistic between reweighted validation and deployment max-probabilities. */
  readonly statistic: number;
  /** KS critical value at alpha = 0.01 (validation effective sample size), at least 0.05. */
  readonly threshold: number;
  readonly violated: boolean;
  /**
   * Share of the estimated deployment prior on classes with fewer than 5 validation images. Above 0.2
   * the check is not run (statistic and threshold NaN, violated false).
   */
  readonly poorlyRepresented: number;
}

export interface EstimateResult {
  readonly method: EstimateMethod;
  /** Estimated deployment prior, sums to 1. */
  readonly prior: Float64Array;
  /**
   * The source prior the estimate is relative to: the mean (calibrated) validation prediction for EM,
   * the validation label frequencies for BBSE.
   */
  readonly sourcePrior: Float64Array;
  readonly intervals?: PriorIntervals;
  /** EM iterations (0 for BBSE). */
  readonly iterations: number;
  readonly converged: boolean;
  readonly calibration: Calibration;
  readonly shiftCheck: ShiftCheck;
  readonly warnings: string[];
}
