// npm run bench:prior -- <run> [--trials N] [--json]
// Deployment-prior estimation on a finished run's cached logits: the labelled val split calibrates, and
// deployment sets of n images are drawn from the test split under known priors (Dirichlet(1.0),
// Dirichlet(0.1), forward-10, backward-10). Per method: the mean Jensen-Shannon divergence (nats) between
// the estimate and the deployment set's actual class shares, and the accuracy gained by adapting the
// model (softmax(z + log p_t), REFERENCE.md) to the estimate, as a share of the gain from the true prior;
// the unadapted baseline predicts with the training prior. Goals (issue 7): EM+BCTS mean JS <= 0.02 at
// n = 8000, below BBSE everywhere, and >= 90% of the true-prior accuracy gain.
import { estimatePrior, jsDivergence, type EstimateMethod, type LossKind } from '../src/core/estimate';
import { createRng, type Rng } from '../src/core/estimate/rng';
import { priorBias, shiftedPrior, type BiasKind } from '../src/core/priors';
import { loadRun } from '../src/core/train/runEvaluation';

const METHODS: readonly EstimateMethod[] = ['em-bcts', 'em', 'bbse'];
const SIZES = [1000, 8000];
const LOSS_KIND: Record<string, LossKind> = { ce: 'ce', lade: 'lade', bs: 'balanced-softmax' };
const BIAS_KIND: Record<string, BiasKind> = { ce: 'ce-pc', lade: 'lade', bs: 'bs' };

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Marsaglia-Tsang gamma(shape, 1); shape < 1 through the U^(1/shape) boost. */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

function dirichlet(alpha: number, C: number, rng: Rng): Float64Array {
  const g = Float64Array.from({ length: C }, () => gamma(alpha, rng));
  const sum = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / sum);
}

function categorical(p: Float64Array, rng: Rng): number {
  let u = rng.next();
  for (let c = 0; c < p.length; c++) if ((u -= p[c]) < 0) return c;
  return p.length - 1;
}

function adaptedAccuracy(logits: Float32Array, labels: Int32Array, bias: Float64Array): number {
  const C = bias.length;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < C; c++) {
      const s = logits[i * C + c] + bias[c];
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

const runDir = process.argv[2];
if (!runDir || runDir.startsWith('--')) {
  console.error('usage: npm run bench:prior -- <run folder with val and test logits> [--trials N] [--json]');
  process.exit(2);
}
const trials = Number(argValue('--trials') ?? 20);
const json = process.argv.includes('--json');
const val = loadRun(runDir, 'val');
const test = loadRun(runDir, 'test');
const { record } = val;
const C = record.classes.length;
const lossKind = LOSS_KIND[record.config.loss]!;
const biasKind = BIAS_KIND[record.config.loss]!;
const byClass: number[][] = Array.from({ length: C }, () => []);
test.labels.forEach((y, i) => byClass[y]!.push(i));
const rng = createRng(2020);

const priors: Record<string, () => Float64Array> = {
  'dirichlet-1.0': () => dirichlet(1, C, rng),
  'dirichlet-0.1': () => dirichlet(0.1, C, rng),
  'forward-10': () => shiftedPrior(record.trainCounts, 1_000_000, 'forward', 10),
  'backward-10': () => shiftedPrior(record.trainCounts, 1_000_000, 'backward', 10),
};

type Table = Record<string, Record<string, Record<string, number>>>;
const js: Table = {};
const gain: Table = {};
const trueGain: Record<string, Record<string, number>> = {};
const started = performance.now();
for (const [name, draw] of Object.entries(priors)) {
  trueGain[name] = {};
  for (const n of SIZES) {
    const key = `n${n}`;
    const sums: Record<string, { js: number; gain: number }> = {};
    let sumTrueGain = 0;
    for (let t = 0; t < trials; t++) {
      const prior = draw();
      // n images: labels from the prior, each an image of that class drawn with replacement from test.
      const rows = Int32Array.from({ length: n }, () => {
        const pool = byClass[categorical(prior, rng)]!;
        return pool[rng.int(pool.length)]!;
      });
      const logits = new Float32Array(n * C);
      rows.forEach((r, k) => logits.set(test.logits.subarray(r * C, (r + 1) * C), k * C));
      const labels = Int32Array.from(rows, (r) => test.labels[r]!);
      const shares = new Float64Array(C);
      labels.forEach((y) => shares[y]++);
      shares.forEach((v, c) => (shares[c] = v / n));
      const base = adaptedAccuracy(logits, labels, priorBias(biasKind, record.sourcePrior, record.sourcePrior));
      const truthGain = adaptedAccuracy(logits, labels, priorBias(biasKind, record.sourcePrior, shares)) - base;
      sumTrueGain += truthGain;
      for (const method of METHODS) {
        const estimate = estimatePrior({
          valLogits: val.logits,
          valLabels: val.labels,
          deployLogits: logits,
          numClasses: C,
          lossKind,
          sourcePrior: record.sourcePrior,
          method,
        });
        const s = (sums[method] ??= { js: 0, gain: 0 });
        s.js += jsDivergence(estimate.prior, shares);
        s.gain += adaptedAccuracy(logits, labels, priorBias(biasKind, record.sourcePrior, estimate.prior)) - base;
      }
    }
    trueGain[name]![key] = sumTrueGain / trials;
    for (const method of METHODS) {
      const m = method.replace('-', '_');
      ((js[m] ??= {})[name] ??= {})[key] = sums[method]!.js / trials;
      ((gain[m] ??= {})[name] ??= {})[key] = sums[method]!.gain / trials;
    }
  }
}
const seconds = (performance.now() - started) / 1000;

const bctsJs8000 = Object.values(js.em_bcts!).map((r) => r.n8000!);
const meanJs8000 = bctsJs8000.reduce((a, b) => a + b, 0) / bctsJs8000.length;
const belowBbse = Object.entries(js.em_bcts!).every(([p, r]) => Object.entries(r).every(([k, v]) => v < js.bbse![p]![k]!));
// Pooled over all cells: the summed gain from the estimates over the summed gain from the true priors.
let estimatedSum = 0;
let trueSum = 0;
for (const [p, r] of Object.entries(gain.em_bcts!)) {
  for (const [k, v] of Object.entries(r)) {
    estimatedSum += v;
    trueSum += trueGain[p]![k]!;
  }
}
const gainShare = estimatedSum / trueSum;
const goals = { meanJsEmBctsN8000: meanJs8000, belowBbseEverywhere: belowBbse, meanShareOfTrueGain: gainShare };

if (json) {
  console.log(JSON.stringify({ ...js, accuracyGain: { ...gain, truePrior: trueGain }, goals, trials, seconds }, null, 2));
} else {
  console.log(
    `run ${runDir}: ${record.config.loss}, ${C} classes, val ${val.labels.length}, ` +
      `test pool ${test.labels.length}; ${trials} trials per cell`,
  );
  console.log('mean JS divergence (nats) of the estimate from the deployment class shares');
  const methodHeads = (w: number): string => METHODS.map((m) => m.padStart(w)).join(' ');
  console.log(`${'prior'.padEnd(14)} ${'n'.padStart(5)}  ${methodHeads(9)}   gain: true ${methodHeads(8)}`);
  for (const name of Object.keys(priors)) {
    for (const n of SIZES) {
      const k = `n${n}`;
      const cellsJs = METHODS.map((m) => js[m.replace('-', '_')]![name]![k]!.toFixed(5).padStart(9)).join(' ');
      const cellsGain = METHODS.map((m) => (100 * gain[m.replace('-', '_')]![name]![k]!).toFixed(2).padStart(8)).join(' ');
      console.log(`${name.padEnd(14)} ${String(n).padStart(5)}  ${cellsJs}   ${(100 * trueGain[name]![k]!).toFixed(2).padStart(10)} ${cellsGain}`);
    }
  }
  console.log(
    `goals: EM+BCTS mean JS at n=8000 ${meanJs8000.toFixed(4)} (<= 0.02: ${meanJs8000 <= 0.02 ? 'met' : 'MISSED'}); ` +
      `below BBSE everywhere: ${belowBbse ? 'met' : 'MISSED'}; share of true-prior accuracy gain ${(100 * gainShare).toFixed(1)}% ` +
      `(>= 90%: ${gainShare >= 0.9 ? 'met' : 'MISSED'}); ${seconds.toFixed(1)} s`,
  );
}
