import { describe, expect, it } from 'vitest';
import { estimatePrior, jsDivergence, l1Distance, type EstimateOptions, type EstimateProgress } from '../../../../src/core/estimate';
import { exactCounts, makeModel, normalise, sample, withoutLogPrior } from './synthetic';

const C = 10;
// Overconfident (T = 2) and biased, so calibration has work to do.
const model = makeModel(C, { scale: 2, offsetSd: 0.5, delta: 2, seed: 21 });
const reversed = Float64Array.from(model.sourcePrior).reverse();

function setup(target: ArrayLike<number>, n: number, seed: number, featureScale = 1, valSize = 3000) {
  const val = sample(model, exactCounts(model.sourcePrior, valSize), 100 + seed);
  const deploy = sample(model, exactCounts(target, n), 200 + seed, featureScale);
  const base = { valLogits: val.logits, valLabels: val.labels, deployLogits: deploy.logits, numClasses: C, lossKind: 'ce' as const };
  return { val, deploy, base, truth: normalise(Float64Array.from(exactCounts(target, n), Number)) };
}

describe('estimatePrior on synthetic label shift', () => {
  it('EM+BCTS recovers a reversed prior better than EM without calibration and BBSE', () => {
    const js = { 'em-bcts': 0, em: 0, bbse: 0 };
    const seeds = [1, 2, 3];
    for (const seed of seeds) {
      const { base, truth } = setup(reversed, 2000, seed);
      for (const method of ['em-bcts', 'em', 'bbse'] as const) {
        const result = estimatePrior({ ...base, method });
        expect(result.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        js[method] += jsDivergence(result.prior, truth) / seeds.length;
      }
    }
    expect(js['em-bcts']).toBeLessThan(0.002);
    expect(js['em-bcts'] * 2).toBeLessThan(js.em);
    expect(js['em-bcts'] * 2).toBeLessThan(js.bbse);
  });

  it('reports the calibration it fitted', () => {
    const { base } = setup(reversed, 2000, 1);
    const { calibration, converged, warnings } = estimatePrior({ ...base, method: 'em-bcts' });
    expect(calibration.T).toBeGreaterThan(1.8);
    expect(calibration.T).toBeLessThan(2.2);
    expect(calibration.nll).toBeLessThan(calibration.nllUncalibrated);
    expect(converged).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('returns the source prior unchanged when deployment is the validation set (no shift)', () => {
    const { val, base } = setup(reversed, 2000, 1);
    for (const method of ['em-bcts', 'em', 'bbse'] as const) {
      const result = estimatePrior({ ...base, deployLogits: val.logits, method });
      for (let c = 0; c < C; c++) expect(result.prior[c]).toBeCloseTo(result.sourcePrior[c], 10);
      expect(result.shiftCheck.violated).toBe(false);
    }
  });

  it('gives a class absent from deployment a share near zero', () => {
    const target = normalise(Float64Array.from(reversed, (p, c) => (c === 0 ? 0 : p)));
    const { base } = setup(target, 3000, 4);
    const result = estimatePrior({ ...base, method: 'em-bcts', maxIterations: 500 });
    expect(result.prior[0]).toBeLessThan(0.005);
    expect(l1Distance(result.prior, target)).toBeLessThan(0.1);
  });

  it('treats LADE logits (log p_s removed) like the equivalent CE logits', () => {
    const { deploy, val, base } = setup(reversed, 1000, 2);
    const ce = estimatePrior({ ...base, method: 'em-bcts' });
    const lade = estimatePrior({
      ...base,
      valLogits: withoutLogPrior(val.logits, model.sourcePrior),
      deployLogits: withoutLogPrior(deploy.logits, model.sourcePrior),
      lossKind: 'lade',
      sourcePrior: model.sourcePrior,
      method: 'em-bcts',
    });
    for (let c = 0; c < C; c++) expect(lade.prior[c]).toBeCloseTo(ce.prior[c], 4);
  });

  it('uses labelled deployment images (semi-supervised EM)', () => {
    const { base, deploy, truth } = setup(reversed, 300, 5);
    const unlabelled = estimatePrior({ ...base, method: 'em-bcts' });
    const deployLabels = Int32Array.from(deploy.labels, (y, j) => (j % 2 === 0 ? y : -1));
    const semi = estimatePrior({ ...base, method: 'em-bcts', deployLabels });
    expect(l1Distance(semi.prior, truth)).toBeLessThan(l1Distance(unlabelled.prior, truth));
    expect(estimatePrior({ ...base, method: 'bbse', deployLabels }).warnings).toContain(
      'deployLabels are ignored by BBSE (use an EM method).',
    );
  });
});

describe('bootstrap intervals', () => {
  const { base, truth } = setup(reversed, 2000, 6);

  it('are reproducible for a seed and cover the true prior', () => {
    const a = estimatePrior({ ...base, method: 'em-bcts', bootstrap: 40, seed: 7 });
    const b = estimatePrior({ ...base, method: 'em-bcts', bootstrap: 40, seed: 7 });
    const other = estimatePrior({ ...base, method: 'em-bcts', bootstrap: 40, seed: 8 });
    expect(a.intervals).toBeDefined();
    expect(Array.from(a.intervals!.lo)).toEqual(Array.from(b.intervals!.lo));
    expect(Array.from(a.intervals!.lo)).not.toEqual(Array.from(other.intervals!.lo));
    let covered = 0;
    for (let c = 0; c < C; c++) {
      expect(a.intervals!.lo[c]).toBeLessThanOrEqual(a.prior[c]);
      expect(a.intervals!.hi[c]).toBeGreaterThanOrEqual(a.prior[c]);
      if (a.intervals!.lo[c] <= truth[c] && truth[c] <= a.intervals!.hi[c]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(8);
    expect(a.intervals!.resamples).toBe(40);
  });

  it('include calibration uncertainty by resampling the validation split, unless told not to', () => {
    const { base: small, truth: smallTruth } = setup(reversed, 4000, 11, 1, 300);
    const width = (r: ReturnType<typeof estimatePrior>) => r.intervals!.hi.reduce((s, h, c) => s + h - r.intervals!.lo[c], 0);
    const full = estimatePrior({ ...small, method: 'em-bcts', bootstrap: 60, seed: 3 });
    const deployOnly = estimatePrior({ ...small, method: 'em-bcts', bootstrap: 60, seed: 3, bootstrapValidation: false });
    expect(full.intervals!.includesCalibration).toBe(true);
    expect(deployOnly.intervals!.includesCalibration).toBe(false);
    expect(deployOnly.warnings.join('\n')).toMatch(/intervals cover deployment sampling only/);
    expect(width(full)).toBeGreaterThan(1.3 * width(deployOnly));
    const covered = (r: ReturnType<typeof estimatePrior>) =>
      Array.from(smallTruth).filter((p, c) => r.intervals!.lo[c] <= p && p <= r.intervals!.hi[c]).length;
    expect(covered(full)).toBeGreaterThanOrEqual(covered(deployOnly));
    const bbse = estimatePrior({ ...small, method: 'bbse', bootstrap: 30, seed: 3 });
    expect(bbse.intervals!.includesCalibration).toBe(true);
  });

  it('are wider for BBSE than for EM+BCTS', () => {
    const width = (o: Partial<EstimateOptions>) => {
      const { intervals } = estimatePrior({ ...base, method: 'em-bcts', bootstrap: 50, seed: 1, ...o });
      return intervals!.hi.reduce((s, h, c) => s + h - intervals!.lo[c], 0);
    };
    expect(width({ method: 'bbse' })).toBeGreaterThan(width({}));
  });

  it('reports progress through every phase', () => {
    const seen: EstimateProgress[] = [];
    estimatePrior({ ...base, method: 'em', bootstrap: 5, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.phase)).toEqual([
      'calibrate', 'calibrate', 'estimate', 'estimate', 'bootstrap', 'bootstrap', 'bootstrap', 'bootstrap', 'bootstrap',
    ]);
    expect(seen.at(-1)).toEqual({ phase: 'bootstrap', done: 5, total: 5 });
  });
});

describe('warnings', () => {
  it('flags a covariate shift that reweighting classes cannot explain', () => {
    const { base } = setup(reversed, 2000, 3, 0.5);
    const result = estimatePrior({ ...base, method: 'em-bcts' });
    expect(result.shiftCheck.violated).toBe(true);
    expect(result.warnings.join('\n')).toMatch(/label-shift assumption looks violated.*KS 0\.\d+ > 0\.\d+/);
  });

  it('stays quiet about shift under pure label shift', () => {
    for (const seed of [1, 2, 3]) {
      const { base } = setup(reversed, 2000, seed);
      expect(estimatePrior({ ...base, method: 'em-bcts' }).shiftCheck.violated).toBe(false);
    }
  });

  it('warns when the deployment set is small for the number of classes', () => {
    const { base } = setup(reversed, 60, 1);
    const { warnings } = estimatePrior({ ...base, method: 'em-bcts' });
    expect(warnings.join('\n')).toMatch(/Only 60 deployment images for 10 classes/);
  });

  it('names classes with no or few validation images', () => {
    const val = sample(model, Int32Array.of(500, 400, 300, 200, 100, 100, 50, 20, 3, 0), 9);
    const deploy = sample(model, exactCounts(reversed, 1000), 10);
    const classNames = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];
    const { warnings, prior } = estimatePrior({
      valLogits: val.logits, valLabels: val.labels, deployLogits: deploy.logits, numClasses: C, lossKind: 'ce', method: 'em-bcts', classNames,
    });
    expect(warnings.join('\n')).toMatch(/1 class\(es\) have no validation images \(boot\)/);
    expect(warnings.join('\n')).toMatch(/fewer than 5 validation images \(bag\)/);
    expect(prior.every(Number.isFinite)).toBe(true);
  });
});

describe('the warning about deployment mass on classes calibrated from few images', () => {
  // Classes 7-9 have 12-25 validation images (under 30); the rest 60 or more.
  const valCounts = Int32Array.of(400, 300, 200, 150, 100, 80, 60, 25, 18, 12);
  const classNames = ['t-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'boot'];
  const estimate = (target: ArrayLike<number>) => {
    const val = sample(model, valCounts, 31);
    const deploy = sample(model, exactCounts(target, 3000), 32);
    return estimatePrior({
      valLogits: val.logits, valLabels: val.labels, deployLogits: deploy.logits, numClasses: C, lossKind: 'ce', method: 'em-bcts', classNames,
    });
  };

  it('names those classes, largest estimated share first, when they hold a quarter or more of it', () => {
    const { warnings, prior } = estimate([1, 1, 1, 1, 1, 1, 1, 6, 2, 8]);
    const few = prior[7] + prior[8] + prior[9];
    expect(few).toBeGreaterThan(0.5);
    const line = warnings.find((w) => w.includes('fewer than 30 validation images'));
    expect(line).toBe(
      `${(100 * few).toFixed(0)}% of the estimated deployment prior falls on classes with fewer than 30 validation images ` +
        '(boot, sneaker, bag): their shares rest on how the model scored those few images and ' +
        'may be off by several points. More validation images of these classes (a balanced split of about 100 per class) make the estimate more reliable.',
    );
  });

  it('leaves out the rare classes the estimate gives almost nothing', () => {
    const { warnings, prior } = estimate([1, 1, 1, 1, 1, 1, 1, 6, 0, 8]);
    expect(prior[8]).toBeLessThan(0.02);
    expect(warnings.join('\n')).toMatch(/fewer than 30 validation images \(boot, sneaker\): /);
  });

  it('stays quiet when the deployment sits mostly on well-calibrated classes', () => {
    const { warnings, prior } = estimate([4, 4, 4, 4, 4, 4, 4, 1, 0.5, 0.5]);
    expect(prior[7] + prior[8] + prior[9]).toBeLessThan(0.25);
    expect(warnings.join('\n')).not.toMatch(/fewer than 30 validation images/);
  });
});

describe('bad input', () => {
  const { base } = setup(reversed, 100, 1);
  const run = (o: Partial<EstimateOptions>) => () => estimatePrior({ ...base, method: 'em-bcts', ...o });

  it('names mismatched lengths', () => {
    expect(run({ valLabels: base.valLabels.subarray(1) })).toThrow(/valLogits has 30000 values but valLabels has 2999 labels x 10 classes = 29990/);
    expect(run({ deployLogits: base.deployLogits.subarray(3) })).toThrow(/deployLogits has 997 values, not a multiple of 10 classes/);
    expect(run({ deployLabels: new Int32Array(5) })).toThrow(/deployLabels has 5 entries but deployLogits has 100 rows/);
    expect(run({ deployLogits: new Float32Array(0) })).toThrow(/deployLogits is empty/);
    expect(run({ valLabels: new Int32Array(0), valLogits: new Float32Array(0) })).toThrow(/valLabels is empty/);
  });

  it('names the row and class of a NaN or infinite logit', () => {
    const deployLogits = Float32Array.from(base.deployLogits);
    deployLogits[7 * C + 3] = NaN;
    expect(run({ deployLogits })).toThrow('deployLogits: row 7 of 100, class 3 is NaN (logits must be finite)');
    const valLogits = Float32Array.from(base.valLogits);
    valLogits[2 * C + 9] = Infinity;
    expect(run({ valLogits })).toThrow('valLogits: row 2 of 3000, class 9 is Infinity');
  });

  it('names bad labels, priors and options', () => {
    const valLabels = Int32Array.from(base.valLabels);
    valLabels[4] = 10;
    expect(run({ valLabels })).toThrow('valLabels[4] = 10 is not a class index (expected 0..9)');
    expect(run({ deployLabels: new Int32Array(100).fill(-2) })).toThrow('deployLabels[0] = -2 is not a class index (expected -1 (unlabelled) or 0..9)');
    expect(run({ lossKind: 'lade' })).toThrow("sourcePrior is required for lossKind 'lade'");
    expect(run({ lossKind: 'lade', sourcePrior: new Float64Array(C).fill(0.2) })).toThrow('sourcePrior sums to 2, not 1');
    expect(run({ sourcePrior: [0.5, 0.5] })).toThrow('sourcePrior has 2 entries but numClasses is 10');
    expect(run({ sourcePrior: Float64Array.from(model.sourcePrior, (p, c) => (c === 1 ? -p : p)) })).toThrow(/sourcePrior for class 1 is -0\.\d+/);
    expect(run({ numClasses: 1 })).toThrow('numClasses must be an integer >= 2, got 1');
    expect(run({ bootstrap: 2.5 })).toThrow('bootstrap must be a non-negative integer, got 2.5');
    expect(run({ smoothing: -1 })).toThrow('smoothing must be a finite number >= 0, got -1');
    expect(run({ classNames: ['a'] })).toThrow('classNames has 1 names but numClasses is 10');
  });
});

describe('1000 classes', () => {
  it('runs and lands much closer to the deployment prior than the source prior is', () => {
    const K = 1000;
    const big = makeModel(K, { scale: 1.5, offsetSd: 0.3, delta: 4, ratio: 10, seed: 5 });
    const target = Float64Array.from(big.sourcePrior).reverse();
    const val = sample(big, exactCounts(big.sourcePrior, 5000), 1);
    const deploy = sample(big, exactCounts(target, 5000), 2);
    const truth = normalise(Float64Array.from(exactCounts(target, 5000), Number));
    const result = estimatePrior({
      valLogits: val.logits, valLabels: val.labels, deployLogits: deploy.logits, numClasses: K, lossKind: 'ce', method: 'em-bcts',
    });
    expect(result.prior.every(Number.isFinite)).toBe(true);
    expect(result.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(result.calibration.T).toBeGreaterThan(1.35);
    expect(result.calibration.T).toBeLessThan(1.65);
    expect(jsDivergence(result.prior, truth) * 3).toBeLessThan(jsDivergence(result.sourcePrior, truth));
    expect(result.warnings.join('\n')).toMatch(/Only 5000 deployment images for 1000 classes/);
    // Reversed, most deployment mass sits on classes with under 5 validation images: too few to reweight.
    expect(result.shiftCheck.violated).toBe(false);
    expect(result.warnings.join('\n')).toMatch(/label-shift check was not run: \d+% of the estimated deployment prior/);
  }, 180_000); // ~20 s alone; more when the two cores are shared
});
