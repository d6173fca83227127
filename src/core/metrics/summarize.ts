// Turns one scan's class sums (confusion counts, per-class NLL / Brier / bin sums) into EvalMetrics under a
// target prior: each class's sums are weighted by p_t(y) / p_eval(y) here, so the scan never sees the prior.
import { parsePrior, PriorError } from '../priors';
import { type ClassSums, ECE_BINS } from './classSums';
import type { EvalMetrics, ReliabilityBin, ShotMeans, ShotThresholds } from './types';

/** EvalMetrics but the C x C confusion (denseConfusion builds it from the sums where it is wanted). */
export type Summary = Omit<EvalMetrics, 'confusion'>;

/** O(cells + C) work: no C x C pass, so summarising at 1,000 classes stays cheap. */
export function summarizeClassSums(
  sums: ClassSums,
  targetPriorIn: ArrayLike<number> | undefined,
  trainCounts: Float64Array | null,
  thresholds: ShotThresholds,
): Summary {
  const c = sums.numClasses;
  const count = sums.numSamples;
  if (count < 1) throw new Error('Evaluation: no rows selected.');
  const { weights, coverage, targetPrior } = sampleWeights(targetPriorIn, sums.support, count);
  const support = sums.support.slice(); // a copy: the sums may be an evaluator's kept scan
  const recall = new Float64Array(c);
  const precision = new Float64Array(c);
  const predictedCount = new Int32Array(c);
  const columnWeight = new Float64Array(c);
  const hitsOf = new Int32Array(c);
  const cells = sums.cells;
  for (let j = 0; j < cells.length; j += 3) {
    const y = cells[j];
    const k = cells[j + 1];
    const n = cells[j + 2];
    if (y === k) hitsOf[k] += n;
    predictedCount[k] += n;
    columnWeight[k] += weights[y] * n;
  }
  let recallSum = 0;
  let recallClasses = 0;
  let precisionSum = 0;
  let precisionClasses = 0;
  let expected = 0;
  let correct = 0;
  for (let k = 0; k < c; k++) {
    const hits = hitsOf[k];
    correct += hits;
    if (support[k] > 0) {
      recall[k] = hits / support[k];
      recallSum += recall[k];
      recallClasses++;
      if (targetPrior) expected += targetPrior[k] * recall[k];
    }
    if (columnWeight[k] > 0) precision[k] = (weights[k] * hits) / columnWeight[k];
    if (support[k] > 0 || predictedCount[k] > 0) {
      precisionSum += precision[k];
      precisionClasses++;
    }
  }

  // A class the target prior never sees (weight 0) has no say in NLL, Brier or ECE.
  let totalWeight = 0;
  let nll = 0;
  let brier = 0;
  const binsPerClass = ECE_BINS; // a local: under tsx an imported constant is a getter call per use
  const bins = {
    weight: new Float64Array(ECE_BINS),
    count: new Int32Array(ECE_BINS),
    confidence: new Float64Array(ECE_BINS),
    correct: new Float64Array(ECE_BINS),
  };
  for (let y = 0; y < c; y++) {
    const w = weights[y];
    if (w === 0 || support[y] === 0) continue;
    totalWeight += w * support[y];
    nll += w * sums.nll[y];
    brier += w * sums.brier[y];
    for (let b = 0; b < binsPerClass; b++) {
      const j = y * binsPerClass + b;
      const n = sums.binCount[j];
      if (n === 0) continue;
      bins.count[b] += n;
      bins.weight[b] += w * n;
      bins.confidence[b] += w * sums.binConfidence[j];
      bins.correct[b] += w * sums.binCorrect[j];
    }
  }

  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < ECE_BINS; b++) {
    const w = bins.weight[b];
    const accuracy = w > 0 ? bins.correct[b] / w : 0;
    const confidence = w > 0 ? bins.confidence[b] / w : 0;
    ece += (w / totalWeight) * Math.abs(accuracy - confidence);
    reliability.push({
      lower: b / ECE_BINS,
      upper: (b + 1) / ECE_BINS,
      count: bins.count[b],
      weight: w / totalWeight,
      accuracy,
      confidence,
    });
  }

  const top1 = correct / count;
  return {
    numSamples: count,
    numClasses: c,
    top1,
    expectedAccuracy: targetPrior ? expected / coverage : top1,
    targetCoverage: coverage,
    perClassRecall: recall,
    perClassPrecision: precision,
    support,
    predictedCount,
    macroRecall: recallSum / recallClasses,
    macroPrecision: precisionClasses > 0 ? precisionSum / precisionClasses : 0,
    shots: trainCounts ? shotMeans(recall, support, targetPrior, trainCounts, thresholds) : null,
    nll: nll / totalWeight,
    brier: brier / totalWeight,
    ece,
    reliability,
  };
}

export type ShotGroup = 'many' | 'medium' | 'few';

/** The paper's groups: many n > 100, medium 20 <= n <= 100, few n < 20 (a class with no images is few). */
export function shotGroup(trainCount: number, thresholds: ShotThresholds): ShotGroup {
  if (trainCount > thresholds.many) return 'many';
  if (trainCount < thresholds.few) return 'few';
  return 'medium';
}

/**
 * Mean recall per shot group over the classes that count: present in the evaluation set and, under a
 * target prior, given some weight by it (a class the deployment never sees says nothing about it).
 */
function shotMeans(
  recall: Float64Array,
  support: Int32Array,
  targetPrior: Float64Array | null,
  trainCounts: Float64Array,
  thresholds: ShotThresholds,
): ShotMeans {
  const sum = { many: 0, medium: 0, few: 0 };
  const n = { many: 0, medium: 0, few: 0 };
  for (let k = 0; k < recall.length; k++) {
    if (support[k] === 0 || (targetPrior !== null && targetPrior[k] === 0)) continue;
    const g = shotGroup(trainCounts[k], thresholds);
    sum[g] += recall[k];
    n[g]++;
  }
  const mean = (g: ShotGroup): number | null => (n[g] > 0 ? sum[g] / n[g] : null);
  return { many: mean('many'), medium: mean('medium'), few: mean('few') };
}

/**
 * Per-class sample weight p_t(y) / p_eval(y) (1 everywhere without a target prior), the target mass on
 * classes present in the evaluation set, and the normalised target prior.
 */
function sampleWeights(
  targetPrior: ArrayLike<number> | undefined,
  support: Int32Array,
  count: number,
): { weights: Float64Array; coverage: number; targetPrior: Float64Array | null } {
  const c = support.length;
  if (targetPrior === undefined) return { weights: new Float64Array(c).fill(1), coverage: 1, targetPrior: null };
  const pt = parsePrior(targetPrior, c, 'target prior');
  const weights = new Float64Array(c);
  let coverage = 0;
  for (let k = 0; k < c; k++) {
    if (support[k] === 0) continue;
    weights[k] = (pt[k] * count) / support[k];
    coverage += pt[k];
  }
  if (coverage === 0) {
    throw new PriorError('target prior: it puts no weight on any class present in the evaluation set, so nothing can be measured under it.');
  }
  return { weights, coverage, targetPrior: pt };
}
