// npm run bench:prior -- <run> [--trials N] [--calibrate val|test-half] [--json]
// Deployment-prior estimation on a finished run's cached logits: the labelled val split calibrates, and
// deployment sets of n images are drawn from the test split under known priors (Dirichlet(1.0),
// Dirichlet(0.1), forward-10, backward-10). Per method: the mean Jensen-Shannon divergence (nats) between
// the estimate and the deployment set's actual class shares, and the accuracy gained by adapting the
// model (softmax(z + log p_t), REFERENCE.md) to the estimate, as a share of the gain from the true prior;
// the unadapted baseline predicts with the training prior. Goals (issue 7): EM+BCTS mean JS <= 0.02 at
// n = 8000, below BBSE everywhere, and >= 90% of the true-prior accuracy gain.
// --calibrate test-half calibrates on every other test image of each class instead of val and draws the
// deployment sets from the other half: how the results change with a larger labelled split.
import { estimatePrior, jsDivergence, type EstimateMethod, type EstimateResult, type LossKind } from '../src/core/estimate';
import { Rng } from '../src/core/rng';
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

function pickRows(logits: Float32Array, labels: Int32Array, C: number, keep: (i: number) => boolean) {
  const rows = Array.from(labels.keys()).filter(keep);
  const out = new Float32Array(rows.length * C);
  rows.forEach((r, k) => out.set(logits.subarray(r * C, (r + 1) * C), k * C));
  return { logits: out, labels: Int32Array.from(rows, (r) => labels[r]!) };
}

/** Top-1 accuracy of argmax(scale * logits + bias). */
function accuracy(logits: Float32Array, labels: Int32Array, scale: number, bias: Float64Array): number {
  const C = bias.length;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < C; c++) {
      const s = scale * logits[i * C + c]! + bias[c]!;
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

const runDir = process.argv[2];
if (!runDir || runDir.startsWith('--')) {
  console.error('usage: npm run bench:prior -- <run folder with val and test logits> [--trials N] [--calibrate val|test-half] [--json]');
  process.exit(2);
}
const trials = Number(argValue('--trials') ?? 20);
const json = process.argv.includes('--json');
const calibrateOn = argValue('--calibrate') ?? 'val';
if (calibrateOn !== 'val' && calibrateOn !== 'test-half') {
  console.error(`--calibrate must be val or test-half, got '${calibrateOn}'`);
  process.exit(2);
}
const test = loadRun(runDir, 'test');
const seenPerClass = new Int32Array(test.record.classes.length);
const calibrationRow = Array.from(test.labels, (y) => seenPerClass[y]!++ % 2 === 0);
const val =
  calibrateOn === 'val'
    ? loadRun(runDir, 'val')
    : { ...test, ...pickRows(test.logits, test.labels, test.record.classes.length, (i) => calibrationRow[i]!) };
const { record } = val;
const C = record.classes.length;
const lossKind = LOSS_KIND[record.config.loss]!;
const biasKind = BIAS_KIND[record.config.loss]!;
const byClass: number[][] = Array.from({ length: C }, () => []);
test.labels.forEach((y, i) => {
  if (calibrateOn === 'val' || !calibrationRow[i]) byClass[y]!.push(i);
});
const rng = new Rng(2020);

const priors: Record<string, () => Float64Array> = {
  'dirichlet-1.0': () => dirichlet(1, C, rng),
  'dirichlet-0.1': () => dirichlet(0.1, C, rng),
  'forward-10': () => shiftedPrior(record.trainCounts, 1_000_000, 'forward', 10),
  'backward-10': () => shiftedPrior(record.trainCounts, 1_000_000, 'backward', 10),
};

type Table = Record<string, Record<string, Record<string, number>>>;
const put = (table: Table, a: string, b: string, c: string, v: number): void => void (((table[a] ??= {})[b] ??= {})[c] = v);
const js: Table = {};
// Accuracy gain over the unadapted model, adapting with each method's estimate ('true': the actual shares):
//   reference:  argmax(z + bias(p_t)), the project's post-compensation (REFERENCE.md);
//   calibrated: argmax(s / T + b + log p_t - log pi_s), the adapted posterior of the estimator itself
//               (for the true shares, with the EM+BCTS calibration).
const gainRef: Table = {};
const gainCal: Table = {};
const logPs = Float64Array.from(record.sourcePrior, (p) => Math.log(p + 1e-9));
const started = performance.now();
for (const [name, draw] of Object.entries(priors)) {
  for (const n of SIZES) {
    const key = `n${n}`;
    const sums: Record<string, { js: number; ref: number; cal: number }> = {};
    const add = (m: string, k: 'js' | 'ref' | 'cal', v: number): void => void ((sums[m] ??= { js: 0, ref: 0, cal: 0 })[k] += v);
    for (let t = 0; t < trials; t++) {
      const prior = draw();
      // n images: labels from the prior, each an image of that class drawn with replacement from test.
      const rows = Int32Array.from({ length: n }, () => {
        const pool = byClass[categorical(prior, rng)]!;
        return pool[rng.int(pool.length)]!;
      });
      const logits = new Float32Array(n * C);
      rows.forEach((r, k) => logits.set(test.logits.subarray(r * C, (r + 1) * C), k * C));
      const source = lossKind === 'ce' ? logits : logits.map((v, i) => v + logPs[i % C]!);
      const labels = Int32Array.from(rows, (r) => test.labels[r]!);
      const shares = new Float64Array(C);
      labels.forEach((y) => shares[y]++);
      shares.forEach((v, c) => (shares[c] = v / n));
      const base = accuracy(logits, labels, 1, priorBias(biasKind, record.sourcePrior, record.sourcePrior));
      const calibratedGain = (p: Float64Array, r: EstimateResult): number => {
        const bias = Float64Array.from(r.calibration.b, (b, c) => b + Math.log(p[c]!) - Math.log(r.sourcePrior[c]!));
        return accuracy(source, labels, 1 / r.calibration.T, bias) - base;
      };
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
        add(method, 'js', jsDivergence(estimate.prior, shares));
        add(method, 'ref', accuracy(logits, labels, 1, priorBias(biasKind, record.sourcePrior, estimate.prior)) - base);
        add(method, 'cal', calibratedGain(estimate.prior, estimate));
        if (method === 'em-bcts') {
          add('true', 'ref', accuracy(logits, labels, 1, priorBias(biasKind, record.sourcePrior, shares)) - base);
          add('true', 'cal', calibratedGain(shares, estimate));
        }
      }
    }
    for (const [method, s] of Object.entries(sums)) {
      const m = method.replace('-', '_');
      if (method !== 'true') put(js, m, name, key, s.js / trials);
      put(gainRef, m, name, key, s.ref / trials);
      put(gainCal, m, name, key, s.cal / trials);
    }
  }
}
const seconds = (performance.now() - started) / 1000;

const cellsOf = (table: Table, m: string): number[] => Object.values(table[m]!).flatMap((r) => Object.values(r));
const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);
const js8000 = Object.values(js.em_bcts!).map((r) => r.n8000!);
const meanJs8000 = sum(js8000) / js8000.length;
const belowBbse = Object.entries(js.em_bcts!).every(([p, r]) => Object.entries(r).every(([k, v]) => v < js.bbse![p]![k]!));
// Pooled over all cells: the summed gain from the estimates over the summed gain from the true shares.
const shareRef = sum(cellsOf(gainRef, 'em_bcts')) / sum(cellsOf(gainRef, 'true'));
const shareCal = sum(cellsOf(gainCal, 'em_bcts')) / sum(cellsOf(gainCal, 'true'));
const goals = { meanJsEmBctsN8000: meanJs8000, belowBbseEverywhere: belowBbse, shareOfTrueGainReference: shareRef, shareOfTrueGainCalibrated: shareCal };

if (json) {
  const setup = { calibrateOn, calibrationImages: val.labels.length, trials, seconds };
  console.log(JSON.stringify({ ...js, accuracyGain: { reference: gainRef, calibrated: gainCal }, goals, ...setup }, null, 2));
} else {
  console.log(
    `run ${runDir}: ${record.config.loss}, ${C} classes, calibration ${calibrateOn} (${val.labels.length} images), ` +
      `deployment pool ${byClass.reduce((a, p) => a + p.length, 0)} test images; ${trials} trials per cell`,
  );
  const methodHeads = (w: number): string => METHODS.map((m) => m.padStart(w)).join(' ');
  console.log('JS: mean JS divergence (nats) from the deployment class shares; gains: accuracy points over no adaptation');
  console.log(`${'prior'.padEnd(14)} ${'n'.padStart(5)}  JS ${methodHeads(8)}  | ref gain true ${methodHeads(7)}  | cal gain true ${methodHeads(7)}`);
  const f = (v: number, w: number, d: number): string => v.toFixed(d).padStart(w);
  for (const name of Object.keys(priors)) {
    for (const n of SIZES) {
      const k = `n${n}`;
      const row = (table: Table, w: number, d: number, scale: number, ms: readonly string[]) =>
        ms.map((m) => f(scale * table[m.replace('-', '_')]![name]![k]!, w, d)).join(' ');
      console.log(
        `${name.padEnd(14)} ${String(n).padStart(5)}     ${row(js, 8, 5, 1, METHODS)}  |    ${row(gainRef, 10, 2, 100, ['true', ...METHODS])}` +
          `  |    ${row(gainCal, 10, 2, 100, ['true', ...METHODS])}`,
      );
    }
  }
  const yes = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log(
    `goals: EM+BCTS mean JS at n=8000 ${meanJs8000.toFixed(4)} (<= 0.02: ${yes(meanJs8000 <= 0.02)}); ` +
      `below BBSE everywhere: ${yes(belowBbse)}; share of the true-prior accuracy gain ` +
      `${(100 * shareRef).toFixed(1)}% reference, ${(100 * shareCal).toFixed(1)}% calibrated ` +
      `(>= 90%: ${yes(shareRef >= 0.9)} / ${yes(shareCal >= 0.9)}); ${seconds.toFixed(1)} s`,
  );
}
