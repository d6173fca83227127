import { describe, expect, it } from 'vitest';
import { BIAS_L2_GRID, bctsObjective, chooseBiasL2, fitBcts, meanNll } from '../../../../src/core/estimate/calibrate';
import { Rng } from '../../../../src/core/rng';
import { exactCounts, makeModel, sample } from './synthetic';

/** The objective as its formula reads, row by row with Math.exp: what the kernel path must reproduce. */
function referenceObjective(s: ArrayLike<number>, labels: Int32Array, C: number, biasL2: number, x: Float64Array, grad: Float64Array): number {
  const N = labels.length;
  const a = Math.exp(-x[0]);
  grad.fill(0);
  let loss = 0;
  let dA = 0;
  for (let i = 0; i < N; i++) {
    const z = Array.from({ length: C }, (_, c) => a * s[i * C + c] + x[1 + c]);
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((u, v) => u + v, 0);
    const y = labels[i];
    loss += max + Math.log(sum) - z[y];
    for (let c = 0; c < C; c++) {
      grad[1 + c] += (e[c] / sum - (c === y ? 1 : 0)) / N;
      dA += ((e[c] / sum) * s[i * C + c]) / N;
    }
    dA -= s[i * C + y] / N;
  }
  let penalty = 0;
  for (let c = 0; c < C; c++) {
    penalty += x[1 + c] ** 2;
    grad[1 + c] += (biasL2 * x[1 + c]) / N;
  }
  grad[0] = -a * dA;
  return loss / N + (biasL2 * penalty) / (2 * N);
}

describe('bctsObjective', () => {
  it('equals the reference formula to 1e-9 with either exp engine (random cases, odd and even class counts)', () => {
    const rng = new Rng(41);
    for (const [C, N, scale] of [[7, 40, 3], [64, 90, 8], [201, 30, 20], [2, 15, 1]] as const) {
      const s = Float32Array.from({ length: N * C }, () => scale * rng.normal());
      const labels = Int32Array.from({ length: N }, () => rng.int(C));
      const x = Float64Array.from({ length: C + 1 }, () => rng.normal());
      const want = new Float64Array(C + 1);
      const f = referenceObjective(s, labels, C, 0.3, x, want);
      for (const engine of ['wasm', 'js'] as const) {
        const grad = new Float64Array(C + 1);
        const got = bctsObjective(s, labels, C, 0.3, engine)(x, grad);
        expect(Math.abs(got - f)).toBeLessThan(1e-9 * Math.max(1, Math.abs(f)));
        for (let k = 0; k <= C; k++) expect(Math.abs(grad[k] - want[k])).toBeLessThan(1e-9 * Math.max(1, Math.abs(want[k])));
      }
    }
  });

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
    const strong = chooseBiasL2(few.logits, few.labels, 8).biasL2;
    const biased = makeModel(8, { offsetSd: 2, seed: 33 });
    const many = sample(biased, new Int32Array(8).fill(150), 34);
    const weak = chooseBiasL2(many.logits, many.labels, 8).biasL2;
    expect(BIAS_L2_GRID).toContain(strong);
    expect(BIAS_L2_GRID).toContain(weak);
    expect(strong).toBeGreaterThanOrEqual(10);
    expect(weak).toBeLessThanOrEqual(1);
  });

  it('makes the same choice with the WebAssembly exp kernel as with Math.exp, and both fits agree', () => {
    const model = makeModel(12, { scale: 2, offsetSd: 1.5, seed: 37 });
    const { logits, labels } = sample(model, new Int32Array(12).fill(25), 38);
    const wasm = chooseBiasL2(logits, labels, 12, { engine: 'wasm' });
    const js = chooseBiasL2(logits, labels, 12, { engine: 'js' });
    expect(wasm.biasL2).toBe(js.biasL2);
    expect(wasm.biasL2).toBe(1);
    const fits = (['wasm', 'js'] as const).map((engine) => fitBcts(logits, labels, 12, { engine }));
    expect(Math.abs(fits[0].T - fits[1].T)).toBeLessThan(1e-6);
    for (let c = 0; c < 12; c++) expect(Math.abs(fits[0].b[c] - fits[1].b[c])).toBeLessThan(1e-5);
  });

  it('hands the final fit its folds\' mean as the start, from which the fit reaches the same optimum', () => {
    const model = makeModel(6, { offsetSd: 1, seed: 39 });
    const { logits, labels } = sample(model, new Int32Array(6).fill(60), 40);
    const choice = chooseBiasL2(logits, labels, 6);
    const warm = fitBcts(logits, labels, 6, { biasL2: choice.biasL2, start: choice.start });
    const cold = fitBcts(logits, labels, 6, { biasL2: choice.biasL2 });
    expect(choice.start.T).not.toBe(1);
    expect(Math.abs(warm.T - cold.T)).toBeLessThan(1e-5);
    for (let c = 0; c < 6; c++) expect(Math.abs(warm.b[c] - cold.b[c])).toBeLessThan(1e-4);
  });

  it('is what fitBcts uses by default, and a fixed value overrides it', () => {
    const model = makeModel(5, { offsetSd: 1, seed: 35 });
    const { logits, labels } = sample(model, new Int32Array(5).fill(40), 36);
    expect(fitBcts(logits, labels, 5).biasL2).toBe(chooseBiasL2(logits, labels, 5).biasL2);
    expect(fitBcts(logits, labels, 5, { biasL2: 3 }).biasL2).toBe(3);
  });
});
