// Turns the accumulators of one scan (confusion counts, weighted NLL / Brier / bin sums) into EvalMetrics.
import type { EvalMetrics, ReliabilityBin, ShotMeans, ShotThresholds } from './types';

export interface Accumulated {
  readonly numClasses: number;
  readonly numSamples: number;
  readonly correct: number;
  readonly confusion: Int32Array;
  readonly support: Int32Array;
  /** Per-class sample weight p_t(y) / p_eval(y) (all 1 without a target prior). */
  readonly weights: Float64Array;
  readonly coverage: number;
  /** Normalised target prior, or null when the evaluation set's own mix is the target. */
  readonly targetPrior: Float64Array | null;
  readonly totalWeight: number;
  readonly nll: number;
  readonly brier: number;
  readonly bins: {
    readonly weight: Float64Array;
    readonly count: Int32Array;
    readonly confidence: Float64Array;
    readonly correct: Float64Array;
  };
}

export function summarize(acc: Accumulated, trainCounts: Float64Array | null, thresholds: ShotThresholds): EvalMetrics {
  const c = acc.numClasses;
  const { confusion, support, weights } = acc;
  const recall = new Float64Array(c);
  const precision = new Float64Array(c);
  const predictedCount = new Int32Array(c);
  const columnWeight = new Float64Array(c);
  for (let y = 0; y < c; y++) {
    const w = weights[y];
    for (let k = 0; k < c; k++) {
      const n = confusion[y * c + k];
      predictedCount[k] += n;
      columnWeight[k] += w * n;
    }
  }
  let recallSum = 0;
  let recallClasses = 0;
  let precisionSum = 0;
  let precisionClasses = 0;
  let expected = 0;
  for (let k = 0; k < c; k++) {
    const hits = confusion[k * c + k];
    if (support[k] > 0) {
      recall[k] = hits / support[k];
      recallSum += recall[k];
      recallClasses++;
      if (acc.targetPrior) expected += acc.targetPrior[k] * recall[k];
    }
    if (columnWeight[k] > 0) precision[k] = (weights[k] * hits) / columnWeight[k];
    if (support[k] > 0 || predictedCount[k] > 0) {
      precisionSum += precision[k];
      precisionClasses++;
    }
  }

  const reliability: ReliabilityBin[] = [];
  const binCount = acc.bins.weight.length;
  let ece = 0;
  for (let b = 0; b < binCount; b++) {
    const w = acc.bins.weight[b];
    const accuracy = w > 0 ? acc.bins.correct[b] / w : 0;
    const confidence = w > 0 ? acc.bins.confidence[b] / w : 0;
    ece += (w / acc.totalWeight) * Math.abs(accuracy - confidence);
    reliability.push({
      lower: b / binCount,
      upper: (b + 1) / binCount,
      count: acc.bins.count[b],
      weight: w / acc.totalWeight,
      accuracy,
      confidence,
    });
  }

  const top1 = acc.correct / acc.numSamples;
  return {
    numSamples: acc.numSamples,
    numClasses: c,
    top1,
    expectedAccuracy: acc.targetPrior ? expected / acc.coverage : top1,
    targetCoverage: acc.coverage,
    perClassRecall: recall,
    perClassPrecision: precision,
    support,
    predictedCount,
    macroRecall: recallSum / recallClasses,
    macroPrecision: precisionClasses > 0 ? precisionSum / precisionClasses : 0,
    shots: trainCounts ? shotMeans(recall, support, trainCounts, thresholds) : null,
    nll: acc.nll / acc.totalWeight,
    brier: acc.brier / acc.totalWeight,
    ece,
    reliability,
    confusion,
  };
}

export type ShotGroup = 'many' | 'medium' | 'few';

/** The paper's groups: many n > 100, medium 20 <= n <= 100, few n < 20 (a class with no images is few). */
export function shotGroup(trainCount: number, thresholds: ShotThresholds): ShotGroup {
  if (trainCount > thresholds.many) return 'many';
  if (trainCount < thresholds.few) return 'few';
  return 'medium';
}

function shotMeans(recall: Float64Array, support: Int32Array, trainCounts: Float64Array, thresholds: ShotThresholds): ShotMeans {
  const sum = { many: 0, medium: 0, few: 0 };
  const n = { many: 0, medium: 0, few: 0 };
  for (let k = 0; k < recall.length; k++) {
    if (support[k] === 0) continue;
    const g = shotGroup(trainCounts[k], thresholds);
    sum[g] += recall[k];
    n[g]++;
  }
  const mean = (g: ShotGroup): number | null => (n[g] > 0 ? sum[g] / n[g] : null);
  return { many: mean('many'), medium: mean('medium'), few: mean('few') };
}
