// npm run bench:estimate -- [--classes C] [--rows N] [--deploy N] [--resamples R] [--engine auto|js] [--json]
// Prior estimation at benchmark scale on synthetic logits (issue 14): by default ImageNet-LT's shape,
// 1,000 classes and a balanced val split of 20 per class (20,000 rows); --classes 8142 --rows 24426 is
// iNaturalist 2018's (3 per class). The model is a long-tailed one (training prior from 1 down to 1/256 of
// the head class, log-prior in its logits) and over-confident (logits 1.5x too large); the deployment set,
// --deploy rows (default: as many as val), is drawn under the reversed prior. Prints the time of each phase of
// the EM + BCTS estimate: the cross-validated choice of the bias prior, the final BCTS fit, EM, and
// --resamples bootstrap resamples (200, the CLI's default; the val split is not resampled at this size),
// with the load average, since other work on the machine stretches every figure. --engine js computes exp
// with Math.exp instead of the WebAssembly kernel.
import { loadavg } from 'node:os';
import { chooseBiasL2, fitBcts } from '../src/core/estimate/calibrate';
import { bootstrapIntervals } from '../src/core/estimate/bootstrap';
import { emPrior } from '../src/core/estimate/em';
import { calibratedProbs, meanRows } from '../src/core/estimate/posterior';
import { Rng } from '../src/core/rng';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    classes: { type: 'string', default: '1000' },
    rows: { type: 'string' },
    deploy: { type: 'string' },
    resamples: { type: 'string', default: '200' },
    engine: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
  },
});
const C = Number(a.classes);
const rows = Number(a.rows ?? 20 * C);
const deployRows = Number(a.deploy ?? rows);
const resamples = Number(a.resamples);
const engine = a.engine as 'auto' | 'js';
for (const [flag, v] of [['classes', C], ['rows', rows], ['deploy', deployRows]] as const) {
  if (!(Number.isInteger(v) && v > 1)) throw new Error(`--${flag} must be an integer > 1`);
}
if (!(Number.isInteger(resamples) && resamples >= 0)) throw new Error('--resamples must be a non-negative integer');
if (engine !== 'auto' && engine !== 'js') throw new Error("--engine must be auto or js");

const rng = new Rng(14);
const trainPrior = Float64Array.from({ length: C }, (_, c) => Math.pow(256, -c / (C - 1)));
const logPrior = trainPrior.map((p) => Math.log(p));
const deployPrior = trainPrior.slice().reverse();
const norm = (p: Float64Array) => p.map((v) => v / p.reduce((x, y) => x + y, 0));

/**
 * Float32 logits, as the run's caches hold them: 1.5 times the Bayes log-posterior of a model that sees its
 * class's score shifted by 3 in unit Gaussian noise, log training prior included.
 */
function logits(labels: Int32Array): Float32Array {
  const out = new Float32Array(labels.length * C);
  for (let i = 0; i < labels.length; i++) {
    for (let c = 0; c < C; c++) out[i * C + c] = 1.5 * (3 * (rng.normal() + (c === labels[i] ? 3 : 0)) + logPrior[c]);
  }
  return out;
}
function draw(p: Float64Array): number {
  let u = rng.next();
  for (let c = 0; c < p.length; c++) if ((u -= p[c]) < 0) return c;
  return p.length - 1;
}

const valLabels = Int32Array.from({ length: rows }, (_, i) => i % C);
const sVal = logits(valLabels);
const deployP = norm(deployPrior);
const sDeploy = logits(Int32Array.from({ length: deployRows }, () => draw(deployP)));

const times: Record<string, number> = {};
const timed = <T>(phase: string, f: () => T): T => {
  const t0 = performance.now();
  const out = f();
  times[phase] = (performance.now() - t0) / 1000;
  return out;
};
const load = loadavg()[0];
const choice = timed('cv', () => chooseBiasL2(sVal, valLabels, C, { engine }));
const fit = timed('fit', () => fitBcts(sVal, valLabels, C, { biasL2: choice.biasL2, start: choice.start, engine }));
const em = timed('em', () => {
  const source = meanRows(calibratedProbs(sVal, C, fit.T, fit.b), C);
  const probs = calibratedProbs(sDeploy, C, fit.T, fit.b);
  return { source, probs, ...emPrior(probs, C, source) };
});
timed('bootstrap', () =>
  bootstrapIntervals(deployRows, C, resamples, rng, (weights) => emPrior(em.probs, C, em.source, { init: em.prior, weights }).prior),
);
const total = Object.values(times).reduce((x, y) => x + y, 0);
const result = {
  classes: C, rows, deployRows, resamples, engine, biasL2: choice.biasL2, T: fit.T, cvIterations: choice.iterations, fitIterations: fit.iterations,
  emIterations: em.iterations, times, total, loadAverage: [load, loadavg()[0]],
};
if (a.json) console.log(JSON.stringify(result));
else {
  console.log(`${C} classes, ${rows} val rows, ${deployRows} deployment rows, exp: ${engine}; load average ${load.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
  console.log(`biasL2 ${choice.biasL2} (CV fits: ${choice.iterations} L-BFGS iterations), T ${fit.T.toFixed(4)}, final fit ${fit.iterations} L-BFGS iterations, EM ${em.iterations} steps`);
  console.log(`CV ${times.cv!.toFixed(1)} s, final fit ${times.fit!.toFixed(1)} s, EM ${times.em!.toFixed(1)} s, bootstrap (${resamples}) ${times.bootstrap!.toFixed(1)} s; total ${total.toFixed(1)} s`);
}
