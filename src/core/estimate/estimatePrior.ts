// estimatePrior: the deployment label prior from unlabelled deployment logits.
//   1. source-posterior logits s(x) (posterior.ts)
//   2. calibration on the labelled validation split (calibrate.ts; 'em-bcts' only)
//   3. source prior = mean calibrated validation prediction
//   4. EM on the deployment posteriors (em.ts), or BBSE (bbse.ts)
//   5. optional bootstrap intervals, data-size warnings and a label-shift check (shiftCheck.ts)
// Pure computation on typed arrays: safe to run in a web worker.
import { argmaxRows, predictionRates, prepareBbse } from './bbse';
import { bootstrapIntervals, resampleIndices } from './bootstrap';
import { fitBcts, identityCalibration } from './calibrate';
import { emPrior } from './em';
import { calibratedProbs, maxSoftmax, meanRows, sourceLogits } from './posterior';
import { Rng } from '../rng';
import { labelShiftCheck, MIN_VAL_IMAGES } from './shiftCheck';
import type { Calibration, EstimateOptions, EstimateResult, PriorIntervals } from './types';
import { classList } from '../classLabels';
import { validateEstimateOptions } from './validate';

/** Above this many validation logits the bootstrap does not refit the calibration by default. */
const VAL_BOOTSTRAP_BUDGET = 1e6;

/** Fewer deployment images than this per class on average draws a warning. */
const MIN_DEPLOY_PER_CLASS = 10;

/**
 * A class with fewer validation images than this is calibrated from too few to pin down how the model
 * confuses it with its neighbours, and the estimate inherits that error. On the Fashion-MNIST-LT benchmark,
 * deployment sets dominated by classes with 6-27 validation images recovered 70-74% of the true prior's
 * accuracy gain, against 95-98% with 100 validation images per class (README, bench:prior).
 */
const FEW_VAL_IMAGES = 30;
/** Share of the estimated deployment prior on such classes from which the estimate is called fragile. */
const FRAGILE_PRIOR_SHARE = 0.25;

function classCounts(labels: Int32Array, C: number): Int32Array {
  const counts = new Int32Array(C);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

function validationWarnings(counts: Int32Array, C: number, names?: readonly string[]): string[] {
  const empty: number[] = [];
  const few: number[] = [];
  for (let c = 0; c < C; c++) {
    if (counts[c] === 0) empty.push(c);
    else if (counts[c] < MIN_VAL_IMAGES) few.push(c);
  }
  const out: string[] = [];
  if (empty.length > 0) {
    out.push(
      `${empty.length} class(es) have no validation images (${classList(empty, names, 5)}): only the L2 prior ` +
        'keeps their calibration bias finite, BBSE assumes they are always recognised, and the label-shift check cannot weigh them.',
    );
  }
  if (few.length > 0) {
    out.push(
      `${few.length} class(es) have fewer than ${MIN_VAL_IMAGES} validation images (${classList(few, names, 5)}): ` +
        'their calibration rests mostly on the L2 prior and their estimates are less reliable.',
    );
  }
  return out;
}

/** Names the classes with few validation images when the estimate puts much of the deployment on them. */
function weakCalibrationWarning(prior: Float64Array, counts: Int32Array, names?: readonly string[]): string | undefined {
  const few = Array.from(counts.keys()).filter((c) => counts[c] < FEW_VAL_IMAGES);
  const share = few.reduce((s, c) => s + prior[c], 0);
  if (share < FRAGILE_PRIOR_SHARE) return undefined;
  // Named: the largest shares that make up 90% of it, not every rare class the estimate left empty.
  few.sort((a, b) => prior[b] - prior[a]);
  let covered = 0;
  const named = few.filter((c) => {
    const needed = covered < 0.9 * share;
    covered += prior[c];
    return needed;
  });
  return (
    `${(100 * share).toFixed(0)}% of the estimated deployment prior falls on classes with fewer than ${FEW_VAL_IMAGES} ` +
    `validation images (${classList(named, names, 5)}): their shares rest on how the model scored those few images and ` +
    'may be off by several points. More validation images of these classes (a balanced split of about 100 per class) make the estimate more reliable.'
  );
}

export function estimatePrior(options: EstimateOptions): EstimateResult {
  validateEstimateOptions(options);
  const { numClasses: C, valLabels, classNames: names, method, onProgress } = options;
  const sVal = sourceLogits(options.valLogits, C, options.lossKind, options.sourcePrior);
  const sDeploy = sourceLogits(options.deployLogits, C, options.lossKind, options.sourcePrior);
  const n = sDeploy.length / C;
  const resamples = options.bootstrap ?? 0;
  const rng = new Rng(options.seed ?? 0);

  const valCounts = classCounts(valLabels, C);
  const warnings = validationWarnings(valCounts, C, names);
  if (n < MIN_DEPLOY_PER_CLASS * C) {
    warnings.push(
      `Only ${n} deployment images for ${C} classes (fewer than ${MIN_DEPLOY_PER_CLASS} per class): ` +
        'expect noisy estimates, especially for rare classes; check the bootstrap intervals.',
    );
  }

  onProgress?.({ phase: 'calibrate', done: 0, total: 1 });
  let calibration: Calibration;
  if (method === 'em-bcts') {
    const fit = fitBcts(sVal, valLabels, C, { biasL2: options.biasL2 });
    if (!fit.converged) {
      warnings.push(`Calibration (BCTS) stopped after ${fit.iterations} L-BFGS iterations without converging.`);
    }
    const { T, b, biasL2, nll, nllUncalibrated, iterations } = fit;
    calibration = { T, b, biasL2, nll, nllUncalibrated, iterations };
  } else {
    calibration = identityCalibration(sVal, valLabels, C);
  }
  onProgress?.({ phase: 'calibrate', done: 1, total: 1 });

  onProgress?.({ phase: 'estimate', done: 0, total: 1 });
  let prior: Float64Array;
  let sourcePrior: Float64Array;
  let iterations = 0;
  let converged = true;
  let intervals: PriorIntervals | undefined;
  const onResample = (done: number): void => onProgress?.({ phase: 'bootstrap', done, total: resamples });
  const withCalibration = options.bootstrapValidation ?? sVal.length <= VAL_BOOTSTRAP_BUDGET;
  if (resamples > 0 && !withCalibration) {
    warnings.push(
      'The intervals cover deployment sampling only (the validation split was not resampled), so they ' +
        'understate the uncertainty that comes from calibrating on a finite validation split.',
    );
  }

  if (method === 'bbse') {
    if (options.deployLabels !== undefined) warnings.push('deployLabels are ignored by BBSE (use an EM method).');
    const deployPred = argmaxRows(sDeploy, C);
    const bbse = prepareBbse(argmaxRows(sVal, C), valLabels, C);
    if (bbse.singular) {
      warnings.push('The validation confusion matrix is singular; BBSE used a ridge least-squares solve instead.');
    }
    const solution = bbse.solve(predictionRates(deployPred, C));
    if (solution.clipped > 0) {
      warnings.push(`BBSE gave negative shares for ${solution.clipped} class(es); they were clipped to 0.`);
    }
    prior = solution.prior;
    sourcePrior = bbse.sourcePrior;
    onProgress?.({ phase: 'estimate', done: 1, total: 1 });
    if (resamples > 0) {
      const valPred = argmaxRows(sVal, C);
      const resample = (w: Uint32Array, r: Rng): Float64Array => {
        let model = bbse;
        if (withCalibration) {
          const rows = resampleIndices(valLabels.length, r);
          model = prepareBbse(
            Int32Array.from(rows, (i) => valPred[i]),
            Int32Array.from(rows, (i) => valLabels[i]),
            C,
          );
        }
        return model.solve(predictionRates(deployPred, C, w)).prior;
      };
      intervals = { ...bootstrapIntervals(n, C, resamples, rng, resample, onResample), includesCalibration: withCalibration };
    }
  } else {
    sourcePrior = meanRows(calibratedProbs(sVal, C, calibration.T, calibration.b), C);
    const deployProbs = calibratedProbs(sDeploy, C, calibration.T, calibration.b);
    const emOptions = {
      maxIterations: options.maxIterations,
      tolerance: options.tolerance,
      smoothing: options.smoothing,
      labels: options.deployLabels,
    };
    const em = emPrior(deployProbs, C, sourcePrior, emOptions);
    ({ prior, iterations, converged } = em);
    if (!converged) warnings.push(`EM stopped after ${iterations} iterations without reaching the tolerance.`);
    onProgress?.({ phase: 'estimate', done: 1, total: 1 });
    if (resamples > 0) {
      // Warm-started from the point estimate (and calibration): each resample's fit lies close to it.
      const fromPoint = { ...emOptions, init: em.prior };
      const resample = (weights: Uint32Array, r: Rng): Float64Array => {
        let probs = deployProbs;
        let source = sourcePrior;
        if (withCalibration) {
          const rows = resampleIndices(valLabels.length, r);
          const s = new Float64Array(rows.length * C);
          rows.forEach((i, k) => s.set(sVal.subarray(i * C, (i + 1) * C), k * C));
          const labels = Int32Array.from(rows, (i) => valLabels[i]);
          let cal: Calibration = calibration;
          if (method === 'em-bcts') {
            cal = fitBcts(s, labels, C, { biasL2: calibration.biasL2, start: calibration });
            probs = calibratedProbs(sDeploy, C, cal.T, cal.b);
          }
          source = meanRows(calibratedProbs(s, C, cal.T, cal.b), C);
        }
        return emPrior(probs, C, source, { ...fromPoint, weights }).prior;
      };
      intervals = { ...bootstrapIntervals(n, C, resamples, rng, resample, onResample), includesCalibration: withCalibration };
    }
  }

  const fragile = weakCalibrationWarning(prior, valCounts, names);
  if (fragile !== undefined) warnings.push(fragile);

  // Uncalibrated: the statistic must not depend on the validation labels (the calibration was fitted to
  // them, so calibrated validation max-probabilities would look optimistic next to deployment ones).
  const shiftCheck = labelShiftCheck(maxSoftmax(sVal, C), valLabels, maxSoftmax(sDeploy, C), prior, C);
  if (Number.isNaN(shiftCheck.statistic)) {
    warnings.push(
      `The label-shift check was not run: ${(100 * shiftCheck.poorlyRepresented).toFixed(0)}% of the estimated ` +
        `deployment prior falls on classes with fewer than ${MIN_VAL_IMAGES} validation images.`,
    );
  } else if (shiftCheck.violated) {
    warnings.push(
      `The label-shift assumption looks violated: the deployment max-probability distribution differs from the ` +
        `reweighted validation one (KS ${shiftCheck.statistic.toFixed(3)} > ${shiftCheck.threshold.toFixed(3)} at ` +
        'alpha = 0.01). The images themselves may have changed (new conditions, new classes); treat the estimate with care.',
    );
  }
  return { method, prior, sourcePrior, intervals, iterations, converged, calibration, shiftCheck, warnings };
}
