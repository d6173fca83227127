import { describe, expect, it } from 'vitest';
import { emPrior } from '../../../../src/core/estimate/em';
import { calibratedProbs, meanRows } from '../../../../src/core/estimate/posterior';
import { l1Distance } from '../../../../src/core/estimate/divergence';
import { exactCounts, makeModel, normalise, sample } from './synthetic';

const C = 5;
const model = makeModel(C, { seed: 11 });
const probsOf = (logits: Float32Array): Float64Array => calibratedProbs(logits, C, 1, new Float64Array(C));
const val = sample(model, exactCounts(model.sourcePrior, 5000), 12);
const valProbs = probsOf(val.logits);
const sourcePrior = meanRows(valProbs, C);

describe('emPrior', () => {
  it('is at its fixed point when nothing shifted (deployment = validation)', () => {
    const em = emPrior(valProbs, C, sourcePrior);
    expect(em.converged).toBe(true);
    expect(em.iterations).toBe(1);
    for (let c = 0; c < C; c++) expect(em.prior[c]).toBeCloseTo(sourcePrior[c], 14);
  });

  it('recovers a reversed prior', () => {
    const target = Float64Array.from(model.sourcePrior).reverse();
    const deploy = sample(model, exactCounts(target, 5000), 13);
    const em = emPrior(probsOf(deploy.logits), C, sourcePrior);
    expect(em.converged).toBe(true);
    expect(l1Distance(em.prior, target)).toBeLessThan(0.05);
    expect(em.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('drives a class absent from deployment towards 0, and smoothing keeps it positive', () => {
    const target = normalise(Float64Array.of(0.3, 0.3, 0.2, 0.2, 0));
    const deployProbs = probsOf(sample(model, exactCounts(target, 4000), 14).logits);
    const em = emPrior(deployProbs, C, sourcePrior, { maxIterations: 1000 });
    expect(em.prior[4]).toBeLessThan(0.005);
    const smoothing = 5;
    const smoothed = emPrior(deployProbs, C, sourcePrior, { maxIterations: 1000, smoothing });
    expect(smoothed.prior[4]).toBeGreaterThanOrEqual(smoothing / (4000 + C * smoothing) - 1e-15);
    expect(smoothed.prior[4]).toBeGreaterThan(em.prior[4]);
  });

  it('stops at maxIterations and says it did not converge', () => {
    const target = normalise(Float64Array.of(0.3, 0.3, 0.2, 0.2, 0));
    const deployProbs = probsOf(sample(model, exactCounts(target, 2000), 15).logits);
    const em = emPrior(deployProbs, C, sourcePrior, { maxIterations: 3 });
    expect(em.iterations).toBe(3);
    expect(em.converged).toBe(false);
  });

  it('SQUAREM reaches the fixed point of plain EM where plain EM runs out of its 100 steps', () => {
    // A rare class and an absent one: the slow case (EM's rate of convergence near 1).
    const target = normalise(Float64Array.of(0.01, 0.3, 0.2, 0.49, 0));
    const deployProbs = probsOf(sample(model, exactCounts(target, 4000), 14).logits);
    const fixedPoint = emPrior(deployProbs, C, sourcePrior, { acceleration: 'none', maxIterations: 1e6, tolerance: 1e-14 }).prior;
    const plain = emPrior(deployProbs, C, sourcePrior, { acceleration: 'none' });
    const squarem = emPrior(deployProbs, C, sourcePrior);
    expect(plain.converged).toBe(false);
    expect(squarem.converged).toBe(true);
    expect(squarem.iterations).toBeLessThan(50);
    expect(l1Distance(squarem.prior, fixedPoint)).toBeLessThan(1e-4);
    expect(l1Distance(squarem.prior, fixedPoint)).toBeLessThan(l1Distance(plain.prior, fixedPoint) / 3);
    expect(squarem.prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...squarem.prior)).toBeGreaterThan(0);
  });

  it('SQUAREM keeps the smoothed (MAP) fixed point and needs fewer steps', () => {
    const target = Float64Array.from(model.sourcePrior).reverse();
    const deployProbs = probsOf(sample(model, exactCounts(target, 4000), 18).logits);
    const options = { smoothing: 1, tolerance: 1e-12, maxIterations: 10_000 };
    const plain = emPrior(deployProbs, C, sourcePrior, { ...options, acceleration: 'none' });
    const squarem = emPrior(deployProbs, C, sourcePrior, options);
    expect(plain.converged && squarem.converged).toBe(true);
    expect(squarem.iterations).toBeLessThan(0.75 * plain.iterations);
    expect(l1Distance(squarem.prior, plain.prior)).toBeLessThan(1e-9);
  });

  it('takes labelled deployment rows at their label (semi-supervised)', () => {
    const deploy = sample(model, Int32Array.of(10, 20, 30, 40, 0), 16);
    const em = emPrior(probsOf(deploy.logits), C, sourcePrior, { labels: deploy.labels });
    expect(Array.from(em.prior)).toEqual([0.1, 0.2, 0.3, 0.4, 0]);
    expect(em.iterations).toBe(2);
  });

  it('treats row weights as multiplicities', () => {
    const deploy = sample(model, Int32Array.of(10, 20, 30, 5, 5), 17);
    const probs = probsOf(deploy.logits);
    const weights = new Uint32Array(70);
    for (let j = 0; j < 70; j++) weights[j] = 1 + (j % 3);
    const rows: number[] = [];
    for (let j = 0; j < 70; j++) for (let k = 0; k < weights[j]; k++) rows.push(j);
    const replicated = new Float64Array(rows.length * C);
    rows.forEach((j, r) => replicated.set(probs.subarray(j * C, (j + 1) * C), r * C));
    const a = emPrior(probs, C, sourcePrior, { weights });
    const b = emPrior(replicated, C, sourcePrior);
    for (let c = 0; c < C; c++) expect(a.prior[c]).toBeCloseTo(b.prior[c], 12);
  });
});
