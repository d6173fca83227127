// A deliberately plain reference for the metrics: float64 softmax of z + b per row, two loops per
// metric, no caching. The tests hold the fast kernel against it.

export interface ReferenceMetrics {
  predictions: Int32Array;
  /** max_c (z + b) per row, to accept either side of an exact tie. */
  rowMax: Float64Array;
  adjusted: Float64Array;
  nll: number;
  brier: number;
  expectedAccuracy: number;
  recall: Float64Array;
  support: Int32Array;
}

export function referenceMetrics(
  logits: Float32Array,
  labels: Int32Array,
  c: number,
  bias: ArrayLike<number>,
  targetPrior?: ArrayLike<number>,
): ReferenceMetrics {
  const n = labels.length;
  const support = new Int32Array(c);
  for (const y of labels) support[y]++;
  const pt = new Float64Array(c);
  if (targetPrior) {
    const sum = Array.from(targetPrior).reduce((a, b) => a + b, 0);
    for (let k = 0; k < c; k++) pt[k] = targetPrior[k] / sum;
  }
  const weight = (y: number): number => (targetPrior ? (pt[y] * n) / support[y] : 1);
  const predictions = new Int32Array(n);
  const rowMax = new Float64Array(n);
  const adjusted = new Float64Array(n * c);
  const hits = new Int32Array(c);
  let nll = 0;
  let brier = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) {
      const t = logits[i * c + k] + bias[k];
      adjusted[i * c + k] = t;
      if (t > max) {
        max = t;
        predictions[i] = k;
      }
    }
    rowMax[i] = max;
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(adjusted[i * c + k] - max);
    const y = labels[i];
    if (predictions[i] === y) hits[y]++;
    const w = weight(y);
    if (w === 0) continue;
    totalWeight += w;
    nll += w * (Math.log(sum) + max - adjusted[i * c + y]);
    let b = 0;
    for (let k = 0; k < c; k++) {
      const p = Math.exp(adjusted[i * c + k] - max) / sum;
      b += (p - (k === y ? 1 : 0)) ** 2;
    }
    brier += w * b;
  }
  const recall = new Float64Array(c);
  let expected = 0;
  let covered = 0;
  for (let k = 0; k < c; k++) {
    if (support[k] === 0) continue;
    recall[k] = hits[k] / support[k];
    expected += (targetPrior ? pt[k] : support[k] / n) * recall[k];
    covered += targetPrior ? pt[k] : support[k] / n;
  }
  return {
    predictions,
    rowMax,
    adjusted,
    nll: nll / totalWeight,
    brier: brier / totalWeight,
    expectedAccuracy: expected / covered,
    recall,
    support,
  };
}

/** Deterministic pseudo-random numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

export function randomLogits(n: number, c: number, seed: number, spread = 4): { logits: Float32Array; labels: Int32Array } {
  const rand = random(seed);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * c));
  const logits = Float32Array.from({ length: n * c }, (_, j) => spread * (rand() - 0.5) + (j % c === labels[Math.floor(j / c)] ? 1.5 : 0));
  return { logits, labels };
}
