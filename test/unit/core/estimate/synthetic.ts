// Synthetic label-shift data with a known answer. Features x ~ N(delta * e_y, I) in R^C, so the Bayes
// source posterior is softmax(delta * x + log p_s). The "model" is miscalibrated in exactly the BCTS
// family: z = scale * delta * x + log p_s + offset, which softmax(z / T + b) can undo with T = scale.
import { Rng } from '../../../../src/core/rng';

export interface SyntheticModel {
  readonly C: number;
  readonly delta: number;
  /** Overconfidence factor (the temperature BCTS should find). */
  readonly scale: number;
  /** Per-class logit offset (the bias BCTS should undo). */
  readonly offset: Float64Array;
  readonly sourcePrior: Float64Array;
}

export interface Sample {
  readonly logits: Float32Array;
  readonly labels: Int32Array;
}

export function gaussian(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Exponentially decaying prior with max/min = ratio, head class first. */
export function longTailPrior(C: number, ratio: number): Float64Array {
  const p = new Float64Array(C);
  for (let c = 0; c < C; c++) p[c] = Math.pow(1 / ratio, c / (C - 1));
  return normalise(p);
}

export function normalise(p: Float64Array): Float64Array {
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
}

/** Largest-remainder integer counts summing to n. */
export function exactCounts(prior: ArrayLike<number>, n: number): Int32Array {
  const C = prior.length;
  const counts = new Int32Array(C);
  const rest: { c: number; r: number }[] = [];
  let used = 0;
  for (let c = 0; c < C; c++) {
    counts[c] = Math.floor(prior[c] * n);
    used += counts[c];
    rest.push({ c, r: prior[c] * n - counts[c] });
  }
  rest.sort((a, b) => b.r - a.r);
  for (let k = 0; k < n - used; k++) counts[rest[k].c]++;
  return counts;
}

export function makeModel(C: number, opts: { delta?: number; scale?: number; offsetSd?: number; ratio?: number; seed?: number } = {}): SyntheticModel {
  const rng = new Rng(opts.seed ?? 1);
  const offset = new Float64Array(C);
  for (let c = 0; c < C; c++) offset[c] = (opts.offsetSd ?? 0) * gaussian(rng);
  return {
    C,
    delta: opts.delta ?? 2,
    scale: opts.scale ?? 1,
    offset,
    sourcePrior: longTailPrior(C, opts.ratio ?? 10),
  };
}

/**
 * counts[y] images of class y. featureScale < 1 shrinks the class signal (a covariate shift: the same
 * classes, blurrier images), which the label-shift check should notice.
 */
export function sample(model: SyntheticModel, counts: Int32Array, seed: number, featureScale = 1): Sample {
  const { C, delta, scale, offset, sourcePrior } = model;
  const rng = new Rng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const logits = new Float32Array(n * C);
  const labels = new Int32Array(n);
  let i = 0;
  for (let y = 0; y < C; y++) {
    for (let k = 0; k < counts[y]; k++, i++) {
      labels[i] = y;
      for (let c = 0; c < C; c++) {
        const x = (c === y ? delta * featureScale : 0) + gaussian(rng);
        logits[i * C + c] = scale * delta * x + Math.log(sourcePrior[c]) + offset[c];
      }
    }
  }
  return { logits, labels };
}

/** Prior-free (LADE-style) logits: the same model with log p_s taken out. */
export function withoutLogPrior(logits: Float32Array, sourcePrior: Float64Array): Float32Array {
  const C = sourcePrior.length;
  return logits.map((v, i) => v - Math.log(sourcePrior[i % C] + 1e-9));
}
