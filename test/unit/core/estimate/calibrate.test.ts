import { describe, expect, it } from 'vitest';
import { BIAS_L2_GRID, bctsObjective, chooseBiasL2, fitBcts, meanNll } from '../../../../src/core/estimate/calibrate';
import { exactCounts, makeModel, sample } from './synthetic';

describe('bctsObjective', () => {
  it('has the analytic gradient (central finite differences)', () => {
    const model = makeModel(5, { scale: 2, offsetSd: 0.5 });
    const { logits, labels } = sample(model, Int32Array.of(8, 5, 3, 2, 0), 3);
    const objective = bctsObjective(logits, labels, 5, 0.7);
    const x = Float64Array.of(0.3, 0.2, -0.1, 0.4, -0.5, 0.6);
    const grad = new Float64Array(6);
    objective(x, grad);
    const h = 1e-6;
    for (let k = 0; k < 6; k++) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[k] += h;
      xm[k] -= h;
      const numeric = (objective(xp, new Float64Array(6)) - objective(xm, new Float64Array(6))) / (2 * h);
      expect(grad[k]).toBeCloseTo(numeric, 6);
    }
  });
});

describe('fitBcts', () => {
  it('recovers the temperature of an overconfident model and lowers the NLL', () => {
    const model = makeModel(6, { scale: 2.5, offsetSd: 0.8, seed: 4 });
    const { logits, labels } = sample(model, exactCounts(model.sourcePrior, 6000), 5);
    const fit = fitBcts(logits, labels, 6);
    expect(fit.converged).toBe(true);
    expect(fit.T).toBeGreaterThan(2.3);
    expect(fit.T).toBeLessThan(2.7);
    expect(fit.nll).toBeLessThan(fit.nllUncalibrated - 0.1);
    expect(fit.nll).toBeCloseTo(meanNll(logits, labels, 6, fit.T, fit.b), 12);
    // b undoes the offset up to a constant shared by all classes.
    const implied = Array.from(fit.b, (b, c) => b + (model.offset[c] + Math.log(model.sourcePrior[c])) / fit.T - Math.log(model.sourcePrior[c]));
    const mean = implied.reduce((a, v) => a + v, 0) / 6;
    for (const v of implied) expect(Math.abs(v - mean)).toBeLessThan(0.15);
  });

  it('keeps the bias of a class without validation images finite and near 0', () => {
    const model = makeModel(4, { seed: 2 });
    const { logits, labels } = sample(model, Int32Array.of(300, 200, 100, 0), 6);
    const fit = fitBcts(logits, labels, 4);
    expect(Number.isFinite(fit.b[3])).toBe(true);
    // Without the L2 prior this bias would run off towards -infinity.
    const free = fitBcts(logits, labels, 4, { biasL2: 0, maxIterations: 200 });
    expect(fit.b[3]).toBeGreaterThan(free.b[3]);
    expect(Math.abs(fit.b[3])).toBeLessThan(Math.abs(free.b[3]));
  });

  it('leaves a calibrated model (T = 1, b = 0) where it is', () => {
    const model = makeModel(5, { seed: 9 });
    const { logits, labels } = sample(model, exactCounts(model.sourcePrior, 8000), 10);
    const fit = fitBcts(logits, labels, 5);
    expect(fit.T).toBeGreaterThan(0.95);
    expect(fit.T).toBeLessThan(1.05);
    for (const b of fit.b) expect(Math.abs(b)).toBeLessThan(0.1);
  });
});

describe('chooseBiasL2', () => {
  it('picks a strong prior when the true biases are 0 and a weak one when they are large and well measured', () => {
    const calibrated = makeModel(8, { ratio: 1, seed: 31 }); // uniform prior, no offsets: the best b is 0
    const few = sample(calibrated, new Int32Array(8).fill(6), 32);
    const strong = chooseBiasL2(few.logits, few.labels, 8);
    const biased = makeModel(8, { offsetSd: 2, seed: 33 });
    const many = sample(biased, new Int32Array(8).fill(150), 34);
    const weak = chooseBiasL2(many.logits, many.labels, 8);
    expect(BIAS_L2_GRID).toContain(strong);
    expect(BIAS_L2_GRID).toContain(weak);
    expect(strong).toBeGreaterThanOrEqual(10);
    expect(weak).toBeLessThanOrEqual(1);
  });

  it('is what fitBcts uses by default, and a fixed value overrides it', () => {
    const model = makeModel(5, { offsetSd: 1, seed: 35 });
    const { logits, labels } = sample(model, new Int32Array(5).fill(40), 36);
    expect(fitBcts(logits, labels, 5).biasL2).toBe(chooseBiasL2(logits, labels, 5));
    expect(fitBcts(logits, labels, 5, { biasL2: 3 }).biasL2).toBe(3);
  });
});
